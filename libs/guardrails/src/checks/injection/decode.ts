/**
 * Instructions hidden by encoding, found by decoding what looks encoded and reading the result
 * again: base64 runs of 24 characters or more, hex runs of 12 bytes or more (plain, spaced or
 * `\x41`), ROT13 when the text talks of ROT13, text written backwards when the view holds
 * reversed key words, and a payload split into string literals joined with `+`.
 *
 * Work stays linear: each run is decoded once, binary output (images, hashes, keys) is dropped
 * after its first bytes, and what decodes to text is read again with at most one more level of
 * decoding. Nothing is skipped by position, so padding a text with encoded junk only costs
 * time; it cannot push a payload out of sight.
 */

/** A text recovered from part of a segment. */
export interface Derived {
  /** `base64`, `hex`, `rot13`, `reversed`, `split`. */
  readonly how: string;
  readonly text: string;
  /** Where it came from in the original (UTF-16 offsets). */
  readonly start: number;
  readonly end: number;
}

/** Runs of base64, possibly wrapped: chunks of 16 or more separated by white space. */
const BASE64 = /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{16,}={0,2}(?:\s+[A-Za-z0-9+/_-]{16,}={0,2})*/g;
const HEX =
  /(?<![0-9A-Fa-f])(?:[0-9A-Fa-f]{2}){12,}(?![0-9A-Fa-f])|(?:\\x[0-9A-Fa-f]{2}){12,}|(?<![0-9A-Fa-f])(?:[0-9A-Fa-f]{2}[ :]){11,}[0-9A-Fa-f]{2}(?![0-9A-Fa-f])|(?:0x[0-9A-Fa-f]{2}[,\s]+){11,}0x[0-9A-Fa-f]{2}\b/g;
const ROT13_HINT = /\brot[- ]?13\b|\bcaesar\b/i;
/** A quoted string; a single quote after a letter is an apostrophe (`let's`), not a quote. */
const LITERAL = /(?<![\p{L}\p{N}])'([^'\n]{1,200})'(?![\p{L}\p{N}])|"([^"\n]{1,200})"/gu;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Decoded bytes that read as text: no control characters, valid UTF-8, mostly letters. */
function asText(bytes: Uint8Array): string | null {
  for (const b of bytes) if (b < 0x20 && b !== 9 && b !== 10 && b !== 13) return null;
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return null;
  }
  let letters = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 32 || c > 127) letters++;
  }
  return letters >= text.length * 0.7 ? text : null;
}

function base64Text(run: string): string | null {
  // Mixed case or digits: a long plain word is not base64.
  if (!/[a-z]/.test(run) || !/[A-Z0-9+/]/.test(run)) return null;
  const head = Buffer.from(run.slice(0, 48), 'base64');
  if (asText(head.subarray(0, Math.max(0, head.length - 2))) === null) return null;
  return asText(Buffer.from(run, 'base64'));
}

function hexText(run: string): string | null {
  const digits = run.replace(/\\x|0x|[\s:,]/g, '');
  const bytes = Buffer.from(digits, 'hex');
  if (asText(bytes.subarray(0, 16)) === null) return null;
  return asText(bytes);
}

function rot13(text: string): string {
  return text.replace(/[a-zA-Z]/g, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });
}

/** Reversed key words (trigger words of the view: their presence sets `Hints.reversed`). */
export const REVERSED_WORDS = [
  'snoitcurtsni',
  'erongi',
  'tpmorp',
  'suoiverp',
  'dragersid',
  'metsys',
];
/** Words that set `Hints.rot13`. */
export const ROT13_WORDS = ['rot13', 'rot', 'caesar'];

/** What the view shows of a text, as far as decoding needs it. */
export interface Hints {
  /** The view holds a reversed key word (`snoitcurtsni`). */
  readonly reversed: boolean;
  /** The view mentions ROT13 or Caesar. */
  readonly rot13: boolean;
  /** The view's longest word (an encoded run reads as one). */
  readonly longest: number;
  /** The view's longest run of two-letter words that could be hex bytes. */
  readonly hexPairs: number;
}

/** The texts hidden in `raw`. */
export function derivedTexts(raw: string, hints: Hints): Derived[] {
  const out: Derived[] = [];
  BASE64.lastIndex = hints.longest >= 16 ? 0 : raw.length;
  for (let m = BASE64.exec(raw); m !== null; m = BASE64.exec(raw)) {
    const run = m[0].replace(/\s+/g, '');
    if (run.length < 24) continue;
    const text = base64Text(run);
    if (text !== null)
      out.push({ how: 'base64', text, start: m.index, end: m.index + m[0].length });
  }
  const maybeHex =
    hints.longest >= 24 || hints.hexPairs >= 11 || raw.includes('\\x') || raw.includes('0x');
  HEX.lastIndex = maybeHex ? 0 : raw.length;
  for (let m = HEX.exec(raw); m !== null; m = HEX.exec(raw)) {
    const text = hexText(m[0]);
    if (text !== null) out.push({ how: 'hex', text, start: m.index, end: m.index + m[0].length });
  }
  if (hints.rot13 && ROT13_HINT.test(raw))
    out.push({ how: 'rot13', text: rot13(raw), start: 0, end: raw.length });
  if (hints.reversed)
    out.push({ how: 'reversed', text: [...raw].reverse().join(''), start: 0, end: raw.length });
  const split = splitLiterals(raw);
  if (split !== null) out.push(split);
  return out;
}

/**
 * String literals joined into one text, when the text is built to be joined: literals with `+`
 * between them, or a list of at least three short ones (`['dis', 'reg', 'ard']`).
 */
function splitLiterals(raw: string): Derived | null {
  let quotes = 0;
  for (let i = raw.indexOf("'"); i !== -1 && quotes < 4; i = raw.indexOf("'", i + 1)) quotes++;
  for (let i = raw.indexOf('"'); i !== -1 && quotes < 4; i = raw.indexOf('"', i + 1)) quotes++;
  if (quotes < 4) return null;
  const parts: string[] = [];
  let start = -1;
  let end = -1;
  let short = 0;
  LITERAL.lastIndex = 0;
  for (let m = LITERAL.exec(raw); m !== null; m = LITERAL.exec(raw)) {
    const part = m[1] ?? m[2] ?? '';
    parts.push(part);
    if (part.length <= 12) short++;
    if (start === -1) start = m.index;
    end = m.index + m[0].length;
    if (parts.length >= 64) break;
  }
  if (parts.length < 2 || !(raw.includes('+') || short >= 3)) return null;
  return { how: 'split', text: parts.join(''), start, end };
}
