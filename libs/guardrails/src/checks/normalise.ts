import { confusablesMap } from 'confusables';

/**
 * Text as phrase checks compare it, so that the usual disguises of a forbidden phrase read as
 * the phrase. Each code point goes through, in order:
 * 1. format characters are dropped without a trace (every `\p{Cf}`: the zero-width space,
 *    joiners, U+2060, U+FEFF, but also the soft hyphen and bidi controls), and so are lone
 *    combining marks (`i̸g̷n̶o̵r̴e` is `ignore`);
 * 2. Unicode NFKC (fullwidth `ｉｇｎｏｒｅ`, mathematical `𝐢𝐠𝐧𝐨𝐫𝐞`, ligatures);
 * 3. confusable characters become their Latin look-alike, with the table of the `confusables`
 *    package (3,300 characters: Cyrillic, Greek, Cherokee, symbols…; the character is looked up
 *    in its own case, since Greek capital nu looks like N and small nu like v), after full case
 *    folding where that expands (`ß` → `ss`);
 * 4. case folding, and accents stripped (NFD, combining marks dropped);
 * 5. leetspeak: 0→o, 1→i, 3→e, 4→a, 5→s, 7→t, @→a, $→s; `l` and `i` are one letter (`1` reads
 *    as either, and confusable tables map capital I to l), so `k1ll`, `kIll` and `kill` agree;
 * 6. whatever is not a letter or digit then (spaces, punctuation, symbols) separates words.
 * Separators are dropped from `letters`; `boundary` keeps where words started and ended, so a
 * phrase may match across any spacing or punctuation between its letters (`i g n o r e`,
 * `ig-nore`) but only from the start of a word to the end of one (`ass` is not in `class`).
 * Characters of scripts written without spaces (Han, kana, Thai, Lao, Khmer, Myanmar) are each
 * a word of their own, so a Chinese phrase is found inside a Chinese sentence.
 */
export interface NormalisedText {
  /** The normalised word characters, separators removed. */
  readonly letters: string;
  /** `boundary[i]` is 1 where a word starts or ends just before `letters[i]` (length + 1 entries). */
  readonly boundary: Uint8Array;
  /** Per letter: where in the original text (UTF-16 offset) the code point it comes from starts. */
  readonly from: Int32Array;
}

/** The end (exclusive) in `text` of the code point that letter `i` of `norm` comes from. */
export function originalEnd(text: string, norm: NormalisedText, i: number): number {
  const at = norm.from[i]!;
  const c = text.charCodeAt(at);
  return c >= 0xd800 && c <= 0xdbff ? at + 2 : at + 1;
}

const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
  l: 'i',
};

/** The mapping of each ASCII character: a letter or digit, or ' ' for a separator. */
const ASCII: readonly string[] = Array.from({ length: 128 }, (_, code) => {
  const c = String.fromCharCode(code).toLowerCase();
  return LEET[c] ?? (/^[a-z0-9]$/.test(c) ? c : ' ');
});

const FORMAT = /^\p{Cf}$/u;
const MARK = /^\p{M}$/u;
const WORD = /^[\p{L}\p{N}]$/u;
const UNSPACED =
  /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]$/u;

const MAX_CACHED = 50_000;
const cache = new Map<number, string>();

function asciiFold(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += ASCII[s.charCodeAt(i) & 127];
  return out;
}

/** One character of an NFKC result (not ASCII): what it reads as. */
function foldChar(c: string): string {
  const folded = c.toUpperCase().toLowerCase();
  if ([...folded].length === 1) {
    const base = confusablesMap.get(c);
    if (base !== undefined) return asciiFold(base);
  }
  let out = '';
  for (const d of folded.normalize('NFD')) {
    const code = d.charCodeAt(0);
    if (code < 128) out += ASCII[code];
    else if (MARK.test(d) || FORMAT.test(d)) continue;
    else {
      const base = confusablesMap.get(d);
      if (base !== undefined) out += asciiFold(base);
      else if (UNSPACED.test(d)) out += ` ${d} `;
      else out += WORD.test(d) ? d : ' ';
    }
  }
  return out;
}

/** A code point above ASCII: its letters, ' ' for a separator, '' when it is dropped. */
export function foldCodePoint(cp: number): string {
  const cached = cache.get(cp);
  if (cached !== undefined) return cached;
  const ch = String.fromCodePoint(cp);
  let out = '';
  if (!FORMAT.test(ch) && !MARK.test(ch)) {
    for (const c of ch.normalize('NFKC')) {
      const code = c.charCodeAt(0);
      out += c.length === 1 && code < 128 ? ASCII[code] : foldChar(c);
    }
  }
  if (cache.size < MAX_CACHED) cache.set(cp, out);
  return out;
}

/** Per ASCII code: the code it reads as, or -1 for a separator. */
const ASCII_CODE = Int32Array.from(ASCII, (m) => (m === ' ' ? -1 : m.charCodeAt(0)));
const SPACE = 32;
const UTF16 = new TextDecoder('utf-16le');

/** Grows as letters come; most texts stay within the first allocation. */
class Builder {
  codes: Uint16Array;
  from: Int32Array;
  boundary: Uint8Array;
  length = 0;

  constructor(capacity: number) {
    this.codes = new Uint16Array(capacity);
    this.from = new Int32Array(capacity);
    this.boundary = new Uint8Array(capacity + 1);
  }

  push(code: number, from: number, startsWord: boolean): void {
    if (this.length === this.codes.length) this.grow();
    const at = this.length++;
    if (startsWord) this.boundary[at] = 1;
    this.codes[at] = code;
    this.from[at] = from;
  }

  private grow(): void {
    const size = this.codes.length * 2 + 16;
    const grown = <T extends Uint16Array | Int32Array | Uint8Array>(a: T, b: T): T => {
      b.set(a);
      return b;
    };
    this.codes = grown(this.codes, new Uint16Array(size));
    this.from = grown(this.from, new Int32Array(size));
    this.boundary = grown(this.boundary, new Uint8Array(size + 1));
  }

  build(): NormalisedText {
    const n = this.length;
    this.boundary[0] = 1;
    this.boundary[n] = 1;
    return {
      letters: UTF16.decode(this.codes.subarray(0, n)),
      boundary: this.boundary.subarray(0, n + 1),
      from: this.from.subarray(0, n),
    };
  }
}

/** The text as phrase checks read it (see the top of this file). Linear in the text. */
export function normalise(text: string): NormalisedText {
  const out = new Builder(text.length + 16);
  let cut = true;
  for (let i = 0; i < text.length;) {
    const code = text.charCodeAt(i);
    if (code < 128) {
      const c = ASCII_CODE[code]!;
      if (c === -1) cut = true;
      else {
        out.push(c, i, cut);
        cut = false;
      }
      i++;
      continue;
    }
    const cp = text.codePointAt(i)!;
    const mapped = foldCodePoint(cp);
    for (let k = 0; k < mapped.length; k++) {
      const c = mapped.charCodeAt(k);
      if (c === SPACE) cut = true;
      else {
        out.push(c, i, cut);
        cut = false;
      }
    }
    i += cp > 0xffff ? 2 : 1;
  }
  return out.build();
}

/** A phrase as it is matched: its letters, with its own spacing and punctuation dropped. */
export function normalisePhrase(phrase: string): string {
  return normalise(phrase).letters;
}
