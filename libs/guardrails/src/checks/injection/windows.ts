import { kindBit } from './compiled';
import { COMBOS } from './lexicon';
import type { InjectionKind } from './signals';

/**
 * How hits combine into a score: within a window of text, as a noisy OR (`1 - Π(1 - w)`) of
 * the signals there, each counted once at its heaviest, plus the combos (weak signals that
 * are strong together). The best window is the text's score, so a long document does not add
 * up signals from far apart, and text around an attack does not dilute it.
 */

/** A signal found in a text, after its context was weighed. */
export interface Hit {
  readonly id: string;
  readonly kind: InjectionKind;
  readonly w: number;
  /** View offset (for windows) and original offsets (for spans). */
  readonly at: number;
  readonly start: number;
  readonly end: number;
}

export interface Analysis {
  readonly score: number;
  /** The hits of the best window, heaviest first. */
  readonly hits: readonly Hit[];
}

/** Signals combine within this many view characters (about 250 words). */
export const WINDOW = 1500;
/**
 * Matches of one signal kept per window: the heaviest counts, but a window can hold several
 * (redaction wants them), and keeping all would let a text of repeats cost quadratic time.
 */
export const MATCHES_PER_WINDOW = 8;
/**
 * The best window's score: a noisy OR of its signals (each counted once, at its heaviest) and
 * combos. Windows are `WINDOW` long and start every half window, so two hits less than half a
 * window apart always share one; each hit is in two windows, so this is linear in the hits.
 */
export function best(hits: Hit[], kinds: number): Analysis {
  if (hits.length === 0) return { score: 0, hits: [] };
  hits.sort((a, b) => a.at - b.at);
  const half = WINDOW / 2;
  let bestScore = 0;
  let bestHits: Hit[] = [];
  let from = 0;
  const last = hits[hits.length - 1]!.at;
  for (let start = Math.floor(hits[0]!.at / half) * half; start <= last; start += half) {
    while (from < hits.length && hits[from]!.at < start) from++;
    if (from === hits.length) break;
    if (hits[from]!.at >= start + half) {
      // Nothing in this window's first half: jump to the next hit's window.
      start = Math.floor(hits[from]!.at / half) * half - half;
      continue;
    }
    const top = new Map<string, Hit>();
    const kept = new Map<string, Hit[]>();
    for (let k = from; k < hits.length && hits[k]!.at < start + WINDOW; k++) {
      const h = hits[k]!;
      const seen = top.get(h.id);
      if (seen === undefined || seen.w < h.w) top.set(h.id, h);
      const list = kept.get(h.id) ?? [];
      if (list.length < MATCHES_PER_WINDOW) list.push(h);
      kept.set(h.id, list);
    }
    for (const combo of COMBOS) {
      if ((kindBit(combo.kind) & kinds) === 0 || !comboFires(combo.all, top)) continue;
      const anchor = top.get(combo.all[0]!) ?? hits[from]!;
      top.set(combo.id, { ...anchor, id: combo.id, kind: combo.kind, w: combo.w });
    }
    let keep = 1;
    for (const h of top.values()) keep *= 1 - h.w;
    const score = 1 - keep;
    if (score > bestScore) {
      bestScore = score;
      // The heaviest of each signal first (the detail names them), then its other matches
      // (for redaction).
      bestHits = [...top.values()];
      for (const [id, list] of kept) for (const h of list) if (h !== top.get(id)) bestHits.push(h);
    }
  }
  bestHits.sort((a, b) => b.w - a.w);
  return { score: bestScore, hits: bestHits };
}

function comboFires(all: readonly string[], top: ReadonlyMap<string, Hit>): boolean {
  for (const need of all) {
    if (need.endsWith(':')) {
      const kind = need.slice(0, -1);
      let found = false;
      for (const h of top.values())
        if (h.kind === kind && h.w >= 0.25 && !all.includes(h.id)) found = true;
      if (!found) return false;
    } else if (!top.has(need)) return false;
  }
  return true;
}
