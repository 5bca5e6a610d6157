import { isDigit, isAsciiAlnum, isWordChar } from '../../core/chars';
import { rewind } from '../detector';

/**
 * A run of digit groups from one numeric chunk, e.g. `(415) 555-2671` or `4111 1111 1111`.
 * Classifiers see every window of up to MAX_GROUPS consecutive groups and decide for
 * themselves whether its shape and check digits fit their entity.
 */
export interface NumericWindow {
  /** Offset of the first character, including a leading `+` or `(` when there is one. */
  start: number;
  /** Offset after the last digit. */
  end: number;
  /** `+` or `(` directly before the first group, when the window starts the chunk. */
  prefix: string;
  /** Length of each digit group. */
  groups: number[];
  /** Separators between consecutive groups (`groups.length - 1` of them). */
  seps: string[];
  /** All digits, without separators. */
  digits: string;
  /** Nothing word-like glued on the left (`v1.2`, `abc-123`, `x123`). */
  leftOk: boolean;
  /** Nothing word-like glued on the right (`123abc`, `1.2.3-beta`). */
  rightOk: boolean;
  /** Separator after the window when the chunk continues, else undefined. */
  nextSep: string | undefined;
  /** Separator before the window when it does not start the chunk, else undefined. */
  prevSep: string | undefined;
}

const MAX_GROUPS = 8;
const MAX_DIGITS = 19;
const MAX_SEP = 3;
// Every entity here spans at least 7 characters (`1.2.3.4`, `X1234567L`), so a chunk is worth
// walking only where a digit is followed by six more digits or separators. This locator
// skips the short numbers (years, counts, line numbers) that make up most digits in prompts.
export const CHUNK_LOCATOR = /\d[\d ().\/-]{6}/g;

function isSepChar(c: number): boolean {
  return c === 32 || c === 45 || c === 46 || c === 47 || c === 40 || c === 41;
}

// A window may end before a separator that starts with a space or is a sentence end
// (`4318. (431)`).
const CLOSES_WINDOW = /^[.,;:]? /;

function leftBoundaryOk(text: string, start: number): boolean {
  if (start === 0) return true;
  const c = text.charCodeAt(start - 1);
  if (isWordChar(c)) return false;
  if (c === 46 || c === 45 || c === 47)
    return start < 2 || !isAsciiAlnum(text.charCodeAt(start - 2));
  return true;
}

function rightBoundaryOk(text: string, end: number): boolean {
  if (end >= text.length) return true;
  const c = text.charCodeAt(end);
  if (isWordChar(c)) return false;
  if (c === 46 || c === 45 || c === 47) return !isAsciiAlnum(text.charCodeAt(end + 1));
  return true;
}

/**
 * Walks every numeric chunk of `text` and calls `visit` for each window with at least 7
 * digits or exactly 4 groups (shorter windows cannot be any entity). The cost is linear:
 * each chunk is walked once and each group starts at most MAX_GROUPS windows.
 */
export function forEachNumericWindow(text: string, visit: (w: NumericWindow) => void): void {
  const re = rewind(CHUNK_LOCATOR);
  const starts: number[] = [];
  const ends: number[] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const first = m.index;
    const before = first > 0 ? text.charCodeAt(first - 1) : 0;
    const prefix = before === 43 ? '+' : before === 40 ? '(' : '';
    starts.length = 0;
    ends.length = 0;
    let pos = first;
    let digitCount = 0;
    for (;;) {
      const gs = pos;
      while (pos < text.length && isDigit(text.charCodeAt(pos))) pos++;
      starts.push(gs);
      ends.push(pos);
      digitCount += pos - gs;
      let j = pos;
      while (j < text.length && j - pos < MAX_SEP && isSepChar(text.charCodeAt(j))) j++;
      if (j > pos && j < text.length && isDigit(text.charCodeAt(j))) pos = j;
      else break;
    }
    re.lastIndex = pos;
    if (digitCount < 7 && starts.length < 4) continue;
    // `(` is an area-code parenthesis only when `)` follows the first group; otherwise it is
    // ordinary punctuation before the number, as in `(318.315.470-66)`.
    const paren =
      prefix === '(' && !(starts.length > 1 && text.charCodeAt(ends[0] as number) === 41);
    if (paren) visitChunk(text, '', first, starts, ends, visit);
    else visitChunk(text, prefix, first - prefix.length, starts, ends, visit);
  }
}

function visitChunk(
  text: string,
  prefix: string,
  chunkStart: number,
  starts: number[],
  ends: number[],
  visit: (w: NumericWindow) => void,
): void {
  const n = starts.length;
  for (let i = 0; i < n; i++) {
    const gs = starts[i] as number;
    // A window opens after a separator that ends in a space (`74) 3589...`, `(415) 555`).
    if (i > 0 && text.charCodeAt(gs - 1) !== 32) continue;
    const start = i === 0 ? chunkStart : gs;
    const leftOk = leftBoundaryOk(text, start);
    const prevSep = i === 0 ? undefined : text.slice(ends[i - 1], gs);
    const groups: number[] = [];
    const seps: string[] = [];
    let digits = '';
    for (let j = i; j < n && j - i < MAX_GROUPS; j++) {
      const s = starts[j] as number;
      const e = ends[j] as number;
      if (j > i) seps.push(text.slice(ends[j - 1], s));
      groups.push(e - s);
      digits += text.slice(s, e);
      if (digits.length > MAX_DIGITS) break;
      if (digits.length < 7 && groups.length !== 4) continue;
      const nextSep = j + 1 < n ? text.slice(e, starts[j + 1]) : undefined;
      visit({
        start,
        end: e,
        prefix: i === 0 ? prefix : '',
        // The live arrays: classifiers read them synchronously and keep no reference.
        groups,
        seps,
        digits,
        leftOk,
        rightOk: nextSep === undefined ? rightBoundaryOk(text, e) : CLOSES_WINDOW.test(nextSep),
        nextSep,
        prevSep,
      });
    }
  }
}
