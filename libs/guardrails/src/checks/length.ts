import { isWithinTokenLimit } from 'gpt-tokenizer/cjs/encoding/o200k_base';
import type { LengthCheck } from '../rule-schema';
import type { CheckInput, CompiledCheck, Segment, Violation } from './check';

/**
 * Length bounds over all the item's segments together: `chars` counts Unicode code points (an
 * emoji is 1), `words` runs of non-space characters (as `wc -w`: a Chinese sentence without
 * spaces is one word), `tokens` OpenAI's o200k_base tokens (`gpt-tokenizer`, exact for the
 * GPT-4o, GPT-4.1, GPT-5 and o-series families, an estimate for other models; special-token
 * markers in the text count as plain text, as the model reads them).
 *
 * Tokenising 2 KB costs about 0.1-0.3 ms, most of the input rules' budget, so it is avoided
 * where a bound settles the answer (a token covers at least one UTF-8 byte, so a text of at
 * most `max` bytes is within `max` tokens), and otherwise stops as soon as the count passes
 * the bound that decides (`max`, or `min - 1` for a rule with only a minimum).
 */
export function compileLength(check: LengthCheck): CompiledCheck {
  const { unit, min, max } = check;
  const over = { detail: `${unit}: more than ${max} (max ${max})` };
  const under = (n: number) => ({ detail: `${unit}: ${n} (min ${min})` });
  const upTo = unit === 'tokens' ? tokensUpTo : unit === 'chars' ? exact(codePoints) : exact(words);
  return {
    locates: false,
    run(input: CheckInput): Violation | null {
      const { segments } = input;
      if (max !== undefined) {
        // A token covers at least one UTF-8 byte: at most `max` bytes is at most `max` tokens.
        if (unit === 'tokens' && min === undefined && sum(segments, utf8Bytes) <= max) return null;
        const n = upTo(segments, max);
        if (n > max) return over;
        if (min !== undefined && n < min) return under(n);
        return null;
      }
      if (min === undefined || min === 0) return null;
      const n = upTo(segments, min - 1);
      return n < min ? under(n) : null;
    },
  };
}

/** The length, exact when it is at most `limit`, else some number above `limit`. */
type UpTo = (segments: readonly Segment[], limit: number) => number;

function exact(of: (text: string) => number): UpTo {
  return (segments) => sum(segments, of);
}

const PLAIN = { disallowedSpecial: new Set<string>() };

/** Stops tokenising as soon as the count passes `limit`. */
const tokensUpTo: UpTo = (segments, limit) => {
  let total = 0;
  for (const segment of segments) {
    if (segment.text === '') continue;
    const n = isWithinTokenLimit(segment.text, limit - total, PLAIN);
    if (n === false) return limit + 1;
    total += n;
  }
  return total;
};

function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function sum(segments: readonly Segment[], of: (text: string) => number): number {
  let n = 0;
  for (const segment of segments) n += of(segment.text);
  return n;
}

function codePoints(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

const SPACE = /\s/;

function isSpace(c: number, text: string, i: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return SPACE.test(text[i]!);
}

function words(text: string): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const space = isSpace(text.charCodeAt(i), text, i);
    if (!space && !inWord) n++;
    inWord = !space;
  }
  return n;
}
