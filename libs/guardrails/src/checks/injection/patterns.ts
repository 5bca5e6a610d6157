import { viewOfText } from './view';

/**
 * The little pattern language of the injection signals, compiled to regular expressions over a
 * view (view.ts). Patterns are written in plain words and normalised like the text, so `rules`
 * is written `rules` although the view reads it `ruies` (leetspeak folds `l` and `i`), and a
 * Russian word is written in Cyrillic although the view holds its Latin skeleton.
 *
 * - a run of letters or digits: a literal, normalised (`règles` → `regies`);
 * - `' '`: the gap between two words; `~` (or `~5`): up to 3 (5) more words there (`a ~ b`);
 * - `_`: one word; `*` right after a literal: the rest of the word (`instruct*`), elsewhere
 *   the regex quantifier;
 * - `( | )?`: groups (non-capturing unless named: `(?<all>all )?`), alternatives, options;
 *   `{m,n}`, `[...]`, `\x` and lookarounds pass through unchanged.
 * A pattern starts and ends on word boundaries, unless it is `loose` or starts with a character
 * of a script written without spaces (Han, kana).
 */

/** One word of the view. */
export const WORD = '[^ ]+';

export function isLiteral(c: string): boolean {
  return /[\p{L}\p{M}\p{N}]/u.test(c);
}

const folds = new Map<string, string>();

/** A literal as the view spells it (memoised: the lexicon repeats its words). */
export function fold(literal: string): string {
  const known = folds.get(literal);
  if (known !== undefined) return known;
  const folded = viewOfText(literal, 3).text.trim();
  folds.set(literal, folded);
  // A literal the normaliser turns into nothing (a lone mark) must not vanish silently.
  if (folded === '') throw new Error(`pattern literal ${JSON.stringify(literal)} folds to nothing`);
  return folded;
}

/** The first letter of the pattern is of a script written without spaces. */
const UNSPACED_START = /^[^\p{L}]*[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/** The regular expression source of a pattern (see the top of this file). */
export function patternSource(pattern: string, loose = false): string {
  let out = '';
  let i = 0;
  const copyUntil = (end: string): void => {
    const j = pattern.indexOf(end, i);
    if (j === -1) throw new Error(`pattern ${JSON.stringify(pattern)}: no closing ${end}`);
    out += pattern.slice(i, j + 1);
    i = j + 1;
  };
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (isLiteral(c)) {
      let j = i;
      while (j < pattern.length && isLiteral(pattern[j]!)) j++;
      out += fold(pattern.slice(i, j));
      i = j;
    } else if (c === '~') {
      let j = i + 1;
      while (j < pattern.length && /[0-9]/.test(pattern[j]!)) j++;
      const n = j > i + 1 ? pattern.slice(i + 1, j) : '3';
      if (out.endsWith(' ')) out = out.slice(0, -1);
      out += `(?: ${WORD}){0,${n}}`;
      i = j;
    } else if (c === '_') {
      out += WORD;
      i++;
    } else if (c === '*') {
      // After a literal, the rest of the word; after a group, the regex quantifier.
      out += i > 0 && isLiteral(pattern[i - 1]!) ? '[^ ]*' : '*';
      i++;
    } else if (c === '(') {
      if (pattern[i + 1] === '?') {
        if (pattern[i + 2] === '<' && pattern[i + 3] !== '=' && pattern[i + 3] !== '!')
          copyUntil('>');
        else {
          out += pattern.slice(i, i + (pattern[i + 2] === '<' ? 4 : 3));
          i += pattern[i + 2] === '<' ? 4 : 3;
        }
      } else {
        out += '(?:';
        i++;
      }
    } else if (c === '{') copyUntil('}');
    else if (c === '[') copyUntil(']');
    else if (c === '\\') {
      out += pattern.slice(i, i + 2);
      i += 2;
    } else {
      out += c;
      i++;
    }
  }
  if (loose || UNSPACED_START.test(pattern)) return out;
  return ` ${out}(?= )`;
}

/** A pattern compiled for a global scan of a view (`y`: tried at one offset only). */
export function compilePattern(pattern: string, loose = false, flags = 'g'): RegExp {
  return new RegExp(patternSource(pattern, loose), flags);
}
