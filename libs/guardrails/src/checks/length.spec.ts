import { countTokens } from 'gpt-tokenizer/cjs/encoding/o200k_base';
import type { LengthCheck } from '../rule-schema';
import { checkInput } from './check';
import { compileLength } from './length';

const run = (check: Omit<LengthCheck, 'type'>, ...texts: string[]) =>
  compileLength({ type: 'length', ...check }).run(
    checkInput(texts.map((text, i) => ({ name: `messages[${i}]`, text }))),
    false,
  )?.detail ?? null;

describe('length', () => {
  it('counts characters as code points: an emoji is one', () => {
    expect(run({ unit: 'chars', max: 3 }, '😀😀😀')).toBeNull();
    expect(run({ unit: 'chars', max: 3 }, '😀😀😀😀')).toBe('chars: more than 3 (max 3)');
    expect(run({ unit: 'chars', min: 5 }, 'abcd')).toBe('chars: 4 (min 5)');
  });

  it('adds up every segment', () => {
    expect(run({ unit: 'chars', max: 5 }, 'abc', 'def')).toBe('chars: more than 5 (max 5)');
    expect(run({ unit: 'words', min: 4 }, 'one two', 'three four')).toBeNull();
  });

  it('counts words as runs of non-space characters, any Unicode space between them', () => {
    expect(run({ unit: 'words', max: 3 }, '  one\ttwo\u00a0three \n')).toBeNull();
    expect(run({ unit: 'words', max: 3 }, 'one two three four')).toBe('words: more than 3 (max 3)');
    expect(run({ unit: 'words', min: 2 }, '')).toBe('words: 0 (min 2)');
  });

  it('counts tokens with o200k_base, special-token markers as plain text', () => {
    const text = 'Hello <|endoftext|> world, how are you today?';
    const n = countTokens(text, { disallowedSpecial: new Set() });
    expect(run({ unit: 'tokens', max: n }, text)).toBeNull();
    expect(run({ unit: 'tokens', max: n - 1 }, text)).toBe(
      `tokens: more than ${n - 1} (max ${n - 1})`,
    );
    expect(run({ unit: 'tokens', min: n + 1 }, text)).toBe(`tokens: ${n} (min ${n + 1})`);
    expect(run({ unit: 'tokens', min: n, max: n }, text)).toBeNull();
  });

  it('passes a long text under a high token max without tokenising it wrongly', () => {
    const text = 'word '.repeat(2_000);
    expect(run({ unit: 'tokens', max: 10_000 }, text)).toBeNull();
    expect(run({ unit: 'tokens', max: 1_000 }, text)).toBe('tokens: more than 1000 (max 1000)');
  });

  it('accepts the bounds themselves', () => {
    expect(run({ unit: 'chars', min: 3, max: 3 }, 'abc')).toBeNull();
    expect(run({ unit: 'chars', min: 0 }, '')).toBeNull();
    expect(run({ unit: 'chars', max: 0 }, '')).toBeNull();
  });
});
