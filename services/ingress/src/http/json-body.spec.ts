import { jsonDepth } from './json-body';

describe('jsonDepth', () => {
  it.each([
    ['a scalar', '42', 0],
    ['a string', '"hello"', 0],
    ['an empty text', '', 0],
    ['an empty object', '{}', 1],
    ['an empty array', '[]', 1],
    ['an object in an array', '[{"a":1}]', 2],
    ['siblings, not nesting', '[[1],[2],[3]]', 2],
    ['the deepest branch', '{"a":[1],"b":{"c":{"d":[[]]}}}', 5],
  ])('measures %s as %i levels', (_what, text, depth) => {
    expect(jsonDepth(text)).toBe(depth);
  });

  it('counts deep nesting without recursion', () => {
    const depth = 100_000;
    expect(jsonDepth('['.repeat(depth) + ']'.repeat(depth))).toBe(depth);
    expect(jsonDepth('{"a":'.repeat(depth) + '1' + '}'.repeat(depth))).toBe(depth);
  });

  it('ignores brackets inside strings', () => {
    expect(jsonDepth('{"prompt":"[[[[{{{{"}')).toBe(1);
    expect(jsonDepth('["}}}]]]"]')).toBe(1);
  });

  it('ignores an escaped quote inside a string, so the brackets after it stay in the string', () => {
    expect(jsonDepth(String.raw`{"a":"say \"[[[[\" now"}`)).toBe(1);
  });

  it('ends a string at a quote that follows an escaped backslash', () => {
    expect(jsonDepth(String.raw`{"a":"c:\\","b":[[1]]}`)).toBe(3);
  });

  it('counts brackets inside a key name as text', () => {
    expect(jsonDepth('{"[{[{":1}')).toBe(1);
  });
});
