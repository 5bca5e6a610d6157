import { normalise, type NormalisedText } from '../normalise';

/**
 * The text as the injection check reads it: the phrase normalisation (normalise.ts: case,
 * NFKC, zero-width and format characters, confusables, accents, leetspeak) with its words
 * written out again, one space between words, and a space at either end, so that patterns can
 * anchor on `' '` instead of `\b` (which knows only ASCII). Scripts written without spaces
 * (Han, kana) stay glued, so a Chinese phrase reads as it is written.
 *
 * Letters spaced out to dodge a filter (`i g n o r e   a l l`) are glued back: a run of four or
 * more one-letter words becomes one word, split again where the original gaps were wider than
 * the run's narrowest gap (the usual way of spacing words apart inside such a run).
 */
export interface View {
  /** `' ' + words joined by ' ' + ' '`. */
  readonly text: string;
  /** Per character of `text` (and one past it): the UTF-16 offset in the original it comes from. */
  readonly raw: Int32Array;
  /** Whether some run of spaced-out letters was glued back. */
  readonly glued: boolean;
  /** The original ranges of the glued runs, as `[start, end, start, end, …]`. */
  readonly glue: readonly number[];
}

const SPACE = 32;
const UTF16 = new TextDecoder('utf-16le');

/**
 * Buffers reused from one view to the next, one set per slot: the analysis of a text and of
 * what is decoded from it (depth 1, 2) each keep theirs while the other is built.
 */
class Buffers {
  codes = new Uint16Array(4096);
  rawAt = new Int32Array(4096);

  ensure(size: number): void {
    if (this.codes.length >= size) return;
    let n = this.codes.length;
    while (n < size) n *= 2;
    this.codes = new Uint16Array(n);
    this.rawAt = new Int32Array(n);
  }
}
/** Slots 0-2: analysis depths; 3: compiling patterns (many small views). */
const SLOTS = [new Buffers(), new Buffers(), new Buffers(), new Buffers()];

/** Han, kana and the CJK ranges the normaliser treats as one word per character. */
function unspaced(c: number): boolean {
  return (
    c >= 0x3040 &&
    (c <= 0x30ff ||
      (c >= 0x3400 && c <= 0x4dbf) ||
      (c >= 0x4e00 && c <= 0x9fff) ||
      (c >= 0xf900 && c <= 0xfaff))
  );
}

/**
 * The view of a text already normalised (shared with the phrase checks of the evaluation).
 * `slot` (0-3): reuse that slot's buffers, so the view is valid until the next view of the
 * same slot; without it the view owns its buffers.
 */
export function viewOf(norm: NormalisedText, rawLength: number, slot?: number): View {
  const { letters, boundary, from } = norm;
  const n = letters.length;
  const buffers = slot === undefined ? new Buffers() : SLOTS[slot]!;
  buffers.ensure(2 * n + 4);
  const codes = buffers.codes;
  const rawAt = buffers.rawAt;
  let o = 0;
  const glue: number[] = [];
  codes[o] = SPACE;
  rawAt[o++] = 0;
  let prev = 0;
  for (let i = 0; i < n;) {
    const c = letters.charCodeAt(i);
    const at = from[i]!;
    if (boundary[i] === 1) {
      if (i > 0 && !(c >= 0x3040 && unspaced(c) && unspaced(prev))) {
        codes[o] = SPACE;
        rawAt[o++] = at;
      }
      // A run of one-letter words: `i g n o r e`.
      if (boundary[i + 1] === 1 && c >= 97 && c <= 122) {
        let j = i + 1;
        let minGap = Number.MAX_SAFE_INTEGER;
        while (j < n && boundary[j + 1] === 1) {
          const d = letters.charCodeAt(j);
          if (d < 97 || d > 122) break;
          minGap = Math.min(minGap, from[j]! - from[j - 1]!);
          j++;
        }
        if (j - i >= 4) {
          glue.push(at, from[j - 1]! + 1);
          for (let k = i; k < j; k++) {
            if (k > i && from[k]! - from[k - 1]! > minGap) {
              codes[o] = SPACE;
              rawAt[o++] = from[k]!;
            }
            codes[o] = letters.charCodeAt(k);
            rawAt[o++] = from[k]!;
          }
          prev = letters.charCodeAt(j - 1);
          i = j;
          continue;
        }
      }
    }
    codes[o] = c;
    rawAt[o++] = at;
    prev = c;
    i++;
  }
  codes[o] = SPACE;
  rawAt[o++] = rawLength;
  rawAt[o] = rawLength;
  return {
    text: UTF16.decode(codes.subarray(0, o)),
    raw: rawAt.subarray(0, o + 1),
    glued: glue.length > 0,
    glue,
  };
}

/** The view of a text of its own (decoded payloads, patterns' literals). */
export function viewOfText(text: string, slot?: number): View {
  return viewOf(normalise(text), text.length, slot);
}

/** The end (exclusive) in the original of the character at view offset `i` (a match's last). */
export function rawEnd(text: string, view: View, i: number): number {
  const at = view.raw[i]!;
  const c = text.charCodeAt(at);
  return c >= 0xd800 && c <= 0xdbff ? at + 2 : at + 1;
}
