import type { JsonSchema } from '../rule-schema';
import { checkInput } from './check';
import { compileJson } from './json';

function compile(schema?: JsonSchema) {
  const problems: string[] = [];
  const check = compileJson(
    { type: 'json', ...(schema ? { schema } : {}) },
    { path: 'rules[0].check', stage: 'output', problems, depth: 0 },
  );
  return { check, problems };
}

function json(schema?: JsonSchema) {
  const { check, problems } = compile(schema);
  if (check === null) throw new Error(problems.join('\n'));
  return (text: string) => check.run(checkInput([{ name: 'text', text }]), false)?.detail ?? null;
}

const person: JsonSchema = {
  type: 'object',
  required: ['name', 'age'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1 },
    age: { type: 'integer', minimum: 0 },
    email: { type: 'string', format: 'email' },
  },
};

describe('json', () => {
  it('passes valid JSON and flags anything else, without quoting the text', () => {
    const any = json();
    expect(any('{"a": [1, 2, null]}')).toBeNull();
    expect(any('"just a string"')).toBeNull();
    const detail = any('Sure! Here is the JSON: {"secret-canary": 1');
    expect(detail).toBe('text: not valid JSON');
  });

  it('checks the schema and names the failing schema path, never the values', () => {
    const check = json(person);
    expect(check('{"name": "Ada", "age": 36, "email": "ada@example.com"}')).toBeNull();
    expect(check('{"name": "Ada"}')).toBe('text: fails the schema at #/required (required)');
    expect(check('{"name": "Ada", "age": -1}')).toBe(
      'text: fails the schema at #/properties/age/minimum (minimum)',
    );
    expect(check('{"name": "Ada", "age": 1, "canary-key": "canary-value"}')).toBe(
      'text: fails the schema at #/additionalProperties (additionalProperties)',
    );
    expect(check('{"name": "Ada", "age": 1, "email": "not-an-address"}')).toBe(
      'text: fails the schema at #/properties/email/format (format)',
    );
  });

  it('reads a 2020-12 schema when $schema says so', () => {
    const check = json({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'array',
      prefixItems: [{ type: 'string' }],
      items: false,
    });
    expect(check('["one"]')).toBeNull();
    expect(check('["one", "two"]')).toBe('text: fails the schema at #/items (items)');
  });

  it('refuses, at load, a schema ajv cannot compile, with its problem', () => {
    expect(compile({ type: 'object', requried: ['x'] }).problems).toEqual([
      'rules[0].check.schema: is not a valid JSON Schema: strict mode: unknown keyword: "requried"',
    ]);
    expect(compile({ $schema: 'http://example.com/my-meta' }).problems).toEqual([
      'rules[0].check.schema.$schema: must be draft-07 or 2020-12 (or absent)',
    ]);
    expect(compile({ $ref: 'https://example.com/remote.json' }).problems[0]).toMatch(
      /^rules\[0\]\.check\.schema: is not a valid JSON Schema: can't resolve reference/,
    );
  });

  it('refuses a schema pattern that could backtrack catastrophically', () => {
    const { problems } = compile({
      type: 'object',
      properties: { code: { type: 'string', pattern: '^(a+)+$' } },
      patternProperties: { '^(x|x)*$': {} },
    });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(
      /^rules\[0\]\.check\.schema\.properties\.code\.pattern: can backtrack catastrophically/,
    );
    expect(problems[1]).toMatch(
      /^rules\[0\]\.check\.schema\.patternProperties\["\^\(x\|x\)\*\$"\]: can backtrack/,
    );
  });

  it('does not read data keywords as schemas', () => {
    expect(compile({ const: { pattern: '(a+)+$' } }).problems).toEqual([]);
  });

  it('lets two rules use schemas with the same $id', () => {
    expect(compile({ $id: 'https://example.com/s', type: 'string' }).problems).toEqual([]);
    expect(compile({ $id: 'https://example.com/s', type: 'number' }).problems).toEqual([]);
  });
});
