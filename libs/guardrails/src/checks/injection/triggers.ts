import { fold } from './patterns';

/** Prefix triggers are cut to this many letters, so a word needs at most a few lookups. */
const MAX_PREFIX = 6;

/**
 * Where patterns may match: their trigger words hashed as the view is read, so a pattern is
 * tried only at the words it can start with (and only on texts holding its gate words, see
 * pattern-ast.ts). A trigger ending in `*` is a prefix, cut to 6 letters. A collision of the
 * 32-bit hash, or a cut prefix (`instru*` for `instruct*`), only makes a pattern be tried for
 * nothing.
 */
export class TriggerTable {
  private readonly keys: Int32Array;
  private readonly lists: Int32Array;
  /** Target lists, flattened: `flat[offsets[k]..offsets[k+1]]`. */
  private readonly flat: Int32Array;
  private readonly offsets: Int32Array;
  private readonly prefixLengths: Uint8Array;
  /** Per prefix length `l`: which first two letters (at `l * 1024 + pair`) a prefix trigger has. */
  private readonly pairs = new Uint8Array((MAX_PREFIX + 1) * 1024);
  private readonly sizeMask: number;
  /** A bit per hash of the keys (32768 bits, in cache): most words are turned away here. */
  private readonly bloom = new Uint32Array(1024);
  private hits = new Int32Array(1024);
  private readonly prefixHash = new Int32Array(8);

  /**
   * `triggers[i]`: the trigger words of target `i`, and pairs of words (the first one common)
   * that trigger it only together.
   */
  constructor(
    triggers: readonly {
      readonly words: readonly string[];
      readonly pairs?: readonly (readonly [string, string])[];
    }[],
  ) {
    const byKey = new Map<number, number[]>();
    const lengths = new Set<number>();
    const addKey = (k: number, target: number): void => {
      const list = byKey.get(k) ?? [];
      if (!list.includes(target)) list.push(target);
      byKey.set(k, list);
    };
    const starters = new Set<number>();
    triggers.forEach(({ words, pairs }, target) => {
      for (const [a, b] of pairs ?? []) {
        const pair = `${fold(a)} ${fold(b)}`;
        const first = fold(a);
        if (pair.split(' ').length === 2) {
          addKey(key(hashOf(pair), pair.length, false), target);
          // The first word of a pair must be found to look the pair up.
          const k = key(hashOf(first), first.length, false);
          starters.add(k);
          if (!byKey.has(k)) byKey.set(k, []);
        } else addKey(key(hashOf(first), first.length, false), target);
      }
      for (const word of words) {
        const prefix = word.endsWith('*');
        const bare = prefix ? word.slice(0, -1) : word;
        if (bare === '') continue;
        let letters = fold(bare).split(' ')[0]!;
        if (prefix && letters.length > MAX_PREFIX) letters = letters.slice(0, MAX_PREFIX);
        if (letters.length === 0 || letters.length > 63) continue;
        if (prefix) {
          lengths.add(letters.length);
          this.pairs[letters.length * 1024 + pairOf(letters.charCodeAt(0), letters.charCodeAt(1))] =
            1;
        }
        addKey(key(hashOf(letters), letters.length, prefix), target);
      }
    });
    this.prefixLengths = Uint8Array.from([...lengths].sort((a, b) => a - b));
    let size = 64;
    while (size < byKey.size * 4) size *= 2;
    this.keys = new Int32Array(size);
    this.lists = new Int32Array(size).fill(-1);
    this.sizeMask = size - 1;
    const flat: number[] = [];
    const offsets: number[] = [];
    const starterLists: number[] = [];
    for (const [k, list] of byKey) {
      if (starters.has(k)) starterLists.push(offsets.length);
      this.bloom[(k >>> 5) & 1023]! |= 1 << (k & 31);
      let at = k & this.sizeMask;
      while (this.lists[at] !== -1) at = (at + 1) & this.sizeMask;
      this.keys[at] = k;
      this.lists[at] = offsets.length;
      offsets.push(flat.length);
      flat.push(...list);
    }
    offsets.push(flat.length);
    this.flat = Int32Array.from(flat);
    this.offsets = Int32Array.from(offsets);
    this.starter = new Uint8Array(offsets.length);
    for (const l of starterLists) this.starter[l] = 1;
  }

  /** Per list: whether its word starts pairs (only then is the next word looked up as a pair). */
  private readonly starter: Uint8Array;

  private add(list: number, start: number, n: number): number {
    const from = this.offsets[list]!;
    const to = this.offsets[list + 1]!;
    if (n + 2 * (to - from) > this.hits.length) {
      const grown = new Int32Array(this.hits.length * 2 + 2 * (to - from));
      grown.set(this.hits);
      this.hits = grown;
    }
    for (let t = from; t < to; t++) {
      this.hits[n++] = this.flat[t]!;
      this.hits[n++] = start;
    }
    return n;
  }

  /**
   * The trigger hits of a view's text: pairs `(target, at)` in `hits[0..2n)`, `at` the offset
   * of the space before the word, in text order. The buffer is reused by the next scan.
   */
  scan(text: string): ScanResult {
    const lengths = this.prefixLengths;
    const pairs = this.pairs;
    const keys = this.keys;
    const lists = this.lists;
    const mask = this.sizeMask;
    const bloom = this.bloom;
    const starter = this.starter;
    const prefixHash = this.prefixHash;
    let n = 0;
    let h = 0;
    let len = 0;
    let start = 0;
    let c0 = 0;
    let pair = 0;
    let longest = 0;
    let hexRun = 0;
    let hexPairs = 0;
    // The previous word, for pair triggers: its hash, length and start; 31^len of this one.
    let ph = 0;
    let plen = 0;
    let pstart = 0;
    let pow = 1;
    let starts = false;
    const end = text.length;
    for (let i = 0; i <= end; i++) {
      const c = i < end ? text.charCodeAt(i) : 32;
      if (c !== 32) {
        h = (Math.imul(h, 31) + c) | 0;
        pow = Math.imul(pow, 31);
        len++;
        if (len <= MAX_PREFIX) {
          prefixHash[len] = h;
          if (len === 1) c0 = c;
          else if (len === 2) pair = pairOf(c0, c);
        }
        continue;
      }
      // The lookups below are open addressing behind a bloom filter, written out three
      // times: this loop is the check's hottest.
      let exact = -1;
      if (len > 0) {
        if (len > longest) longest = len;
        // Pairs of hex digits as the view spells them (digits read as leetspeak letters).
        hexRun = len === 2 && HEXISH[pair] === 1 ? hexRun + 1 : 0;
        if (hexRun > hexPairs) hexPairs = hexRun;
        let k = key(h, len, false);
        if (((bloom[(k >>> 5) & 1023]! >>> (k & 31)) & 1) !== 0) {
          let at = k & mask;
          for (let list = lists[at]!; list !== -1; list = lists[at]!) {
            if (keys[at] === k) {
              exact = list;
              break;
            }
            at = (at + 1) & mask;
          }
          if (exact !== -1) n = this.add(exact, start, n);
        }
        if (starts) {
          const both = (Math.imul((Math.imul(ph, 31) + 32) | 0, pow) + h) | 0;
          k = key(both, plen + 1 + len, false);
          if (((bloom[(k >>> 5) & 1023]! >>> (k & 31)) & 1) !== 0) {
            let at = k & mask;
            for (let list = lists[at]!; list !== -1; list = lists[at]!) {
              if (keys[at] === k) {
                n = this.add(list, pstart, n);
                break;
              }
              at = (at + 1) & mask;
            }
          }
        }
        for (let x = 0; x < lengths.length; x++) {
          const l = lengths[x]!;
          if (l > len) break;
          if (pairs[l * 1024 + pair] !== 1) continue;
          k = key(prefixHash[l]!, l, true);
          if (((bloom[(k >>> 5) & 1023]! >>> (k & 31)) & 1) === 0) continue;
          let at = k & mask;
          for (let list = lists[at]!; list !== -1; list = lists[at]!) {
            if (keys[at] === k) {
              n = this.add(list, start, n);
              break;
            }
            at = (at + 1) & mask;
          }
        }
      }
      ph = h;
      plen = len;
      pstart = start;
      starts = exact !== -1 && starter[exact] === 1;
      h = 0;
      len = 0;
      pow = 1;
      start = i;
    }
    return { hits: this.hits, count: n >> 1, longest, hexPairs };
  }
}

/** What `TriggerTable.scan` finds. */
export interface ScanResult {
  /** Pairs `(target, at)` in `hits[0..2 * count)`; the buffer is reused by the next scan. */
  readonly hits: Int32Array;
  readonly count: number;
  /** The longest word's length (base64 and hex runs read as one long word). */
  readonly longest: number;
  /** The longest run of two-character words that could be hex bytes (`49 67 6e`). */
  readonly hexPairs: number;
}

/** Two-letter words made of what hex digits read as in the view (`0-9` as leetspeak). */
const HEXISH = (() => {
  const table = new Uint8Array(1024);
  const chars = 'oi2easbt89cdf6';
  for (const a of chars) for (const b of chars) table[pairOf(a.charCodeAt(0), b.charCodeAt(0))] = 1;
  return table;
})();

function pairOf(a: number, b: number): number {
  return ((a & 31) << 5) | (b & 31);
}

function hashOf(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

function key(h: number, len: number, prefix: boolean): number {
  return (Math.imul(h ^ (len << 24), 0x9e3779b1) ^ (prefix ? 0x5bd1e995 : 0)) | 0;
}
