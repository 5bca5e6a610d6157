import type { RegexCheck } from '../rule-schema';
import { checkInput } from './check';
import { compileRegex } from './regex';

function compile(check: Omit<RegexCheck, 'type'>) {
  const problems: string[] = [];
  const compiled = compileRegex(
    { type: 'regex', ...check },
    { path: 'rules[0].check', stage: 'output', problems, depth: 0 },
  );
  return { compiled, problems };
}

function regex(check: Omit<RegexCheck, 'type'>) {
  const { compiled, problems } = compile(check);
  if (compiled === null) throw new Error(problems.join('\n'));
  return compiled;
}

const input = (...texts: string[]) =>
  checkInput(texts.map((text, i) => ({ name: `messages[${i}]`, text })));

describe('regex', () => {
  const awsKey = regex({ pattern: 'AKIA[0-9A-Z]{16}', must: 'not_match', name: 'aws-key' });

  it('flags a forbidden match and names the pattern and the segment, never the match', () => {
    const v = awsKey.run(input('fine', 'key AKIAABCDEFGHIJKLMNOP here'), false);
    expect(v).toEqual({ detail: 'pattern aws-key matched in messages[1]' });
  });

  it('passes text without a match', () => {
    expect(awsKey.run(input('AKIA-not-a-key', 'akiaabcdefghijklmnop'), false)).toBeNull();
  });

  it('names an unnamed pattern by its source, shortened', () => {
    const long = regex({ pattern: `secret-${'x'.repeat(80)}`, must: 'not_match' });
    const v = long.run(input(`secret-${'x'.repeat(80)}`), false);
    expect(v?.detail).toMatch(/^pattern \/secret-x+…\/ matched in messages\[0\]$/);
  });

  it('with must: match, is violated only when no segment matches', () => {
    const answer = regex({ pattern: '^ANSWER: ', flags: 'm', must: 'match', name: 'format' });
    expect(answer.run(input('thinking', 'ANSWER: 42'), false)).toBeNull();
    expect(answer.run(input('no answer here'), false)).toEqual({
      detail: 'pattern format did not match',
    });
  });

  it('honours flags: i for case, u for Unicode classes', () => {
    const word = regex({ pattern: '\\bclassified\\b', flags: 'i', must: 'not_match' });
    expect(word.run(input('CLASSIFIED report'), false)).not.toBeNull();
    const greek = regex({ pattern: '\\p{Script=Greek}', flags: 'u', must: 'not_match' });
    expect(greek.run(input('αβγ'), false)).not.toBeNull();
    expect(greek.run(input('abc'), false)).toBeNull();
  });

  it('gives every match of every segment as spans when the rule redacts', () => {
    const digits = regex({ pattern: '\\d{4}', must: 'not_match' });
    const v = digits.run(input('1234 and 5678', 'x 9999'), true);
    expect(v?.spans).toEqual([
      { segment: 'messages[0]', start: 0, end: 4 },
      { segment: 'messages[0]', start: 9, end: 13 },
      { segment: 'messages[1]', start: 2, end: 6 },
    ]);
  });

  it('finds spans past empty matches without looping', () => {
    const v = regex({ pattern: 'x*', must: 'not_match' }).run(input('axxbx'), true);
    expect(v?.spans).toEqual([
      { segment: 'messages[0]', start: 1, end: 3 },
      { segment: 'messages[0]', start: 4, end: 5 },
    ]);
  });

  it('gives the same answer on every call (no state kept between texts)', () => {
    const twice = [1, 2].map(() => awsKey.run(input('AKIAABCDEFGHIJKLMNOP'), true));
    expect(twice[0]).toEqual(twice[1]);
    expect(awsKey.run(input('AKIAABCDEFGHIJKLMNOP'), false)).not.toBeNull();
  });

  it.each([
    ['(a+)+$', /can backtrack catastrophically \(exponential/],
    ['(a|a)*b', /can backtrack catastrophically/],
    ['\\s+$', /can backtrack catastrophically \(2nd degree polynomial/],
  ])('refuses at load the pattern %s, which could stall the event loop', (pattern, why) => {
    const { compiled, problems } = compile({ pattern, must: 'not_match' });
    expect(compiled).toBeNull();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^rules\[0\]\.check\.pattern: /);
    expect(problems[0]).toMatch(why);
  });

  it('refuses an invalid pattern, naming the field', () => {
    expect(compile({ pattern: '(unclosed', must: 'not_match' }).problems).toEqual([
      'rules[0].check.pattern: is not a valid regular expression',
    ]);
  });

  it('runs an accepted pattern on a megabyte in linear time', () => {
    const secret = regex({
      pattern: '\\b(?:password|passwd|pwd)\\s*[:=]\\s*\\S+',
      flags: 'i',
      must: 'not_match',
    });
    const text = 'password '.repeat(120_000);
    const t0 = performance.now();
    expect(secret.run(input(text), false)).toBeNull();
    expect(performance.now() - t0).toBeLessThan(1_000);
  });
});
