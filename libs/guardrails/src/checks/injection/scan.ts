import { normalise, type NormalisedText } from '../normalise';
import { ALL_KINDS, kindBit, signals, type CompiledView } from './compiled';
import { dampOf, metaMarksAt, type Context } from './context';
import { derivedTexts } from './decode';
import { dialogue } from './dialogue';
import { ANY_SCRIPT, SCRIPT_TESTS } from './signals';
import { rawEnd, viewOf, type View } from './view';
import { best, WINDOW, MATCHES_PER_WINDOW, type Analysis, type Hit } from './windows';

export { ALL_KINDS, kindBit, signals } from './compiled';
export type { Analysis, Hit } from './windows';

/**
 * The analysis of one text: which signals fire where, how much each weighs in its context,
 * and the score of the best window. Everything is compiled once per process (the signals do
 * not depend on a rule's parameters); a rule's `kinds` is a mask applied as signals are read.
 */

/** Derived texts (decoded runs) are read again down to this depth. */
const MAX_DEPTH = 2;
/** A derived text counts when it scores at least this much on its own. */
const DERIVED_MIN = 0.25;
const HARMFUL_TOPIC = 'persona.harmful-topic';
const SENTENCE_END = /[.!?。！？]\s|\n[ \t]*\n/;
const HIDDEN_HARM = 0.35;

/** Per-text arrays, one set per depth, cleared rather than allocated for each text. */
interface Scratch {
  readonly rawOn: Uint8Array;
  readonly open: Uint8Array;
  readonly until: Int32Array;
  /** Per view signal, then per raw signal: the half window of its last match, and its count there. */
  readonly bucket: Int32Array;
  readonly inBucket: Int32Array;
}
const scratches: Scratch[] = [];

function scratchFor(depth: number, nView: number, nRaw: number): Scratch {
  let sc = scratches[depth];
  if (sc === undefined || sc.open.length !== nView) {
    sc = {
      rawOn: new Uint8Array(nRaw),
      open: new Uint8Array(nView),
      until: new Int32Array(nView),
      bucket: new Int32Array(nView + nRaw),
      inBucket: new Int32Array(nView + nRaw),
    };
    sc.bucket.fill(-1);
    scratches[depth] = sc;
  } else {
    sc.rawOn.fill(0);
    sc.open.fill(0);
    sc.until.fill(0);
    sc.bucket.fill(-1);
    sc.inBucket.fill(0);
  }
  return sc;
}

export interface ScanOptions {
  /** Kinds counted (a mask of `kindBit`). */
  readonly kinds: number;
  /**
   * The text is a document (retrieved, a tool result, an e-mail pasted in), not a user's own
   * words; a function is asked only when a signal's weight depends on it.
   */
  readonly document: boolean | (() => boolean);
  /**
   * Try every signal everywhere, without the trigger words: slow, for tests that check that
   * the triggers never hide a match.
   */
  readonly ungated?: boolean;
}

/** Analyses `raw` (normalised already as `norm`, when the evaluation has it). */
export function analyse(raw: string, norm: NormalisedText | null, options: ScanOptions): Analysis {
  return analyseAt(raw, norm, options, 0);
}

function analyseAt(
  raw: string,
  norm: NormalisedText | null,
  options: ScanOptions,
  depth: number,
): Analysis {
  const s = signals();
  const view = viewOf(norm ?? normalise(raw), raw.length, depth);
  const nView = s.view.length;
  // Trigger hits: raw signals' gates, view signals' gates, discussion markers, decoding
  // hints; then (below) the sticky tries at view signals' first words.
  const scanned = s.triggers.scan(view.text);
  const { hits: found, count } = scanned;
  const scratch = scratchFor(depth, nView, s.raw.length);
  const { rawOn, open, until, bucket, inBucket } = scratch;
  // Beyond MATCHES_PER_WINDOW matches of one signal in a half window, the next ones cannot
  // change a score: skip them before weighing their context (a text of repeats stays linear).
  const room = (signal: number, at: number): boolean => {
    const b = Math.floor(at / (WINDOW / 2));
    if (bucket[signal] !== b) {
      bucket[signal] = b;
      inBucket[signal] = 0;
    }
    return inBucket[signal]!++ < MATCHES_PER_WINDOW;
  };
  const metaAt: number[] = [];
  let reversed = false;
  let rot13 = false;
  for (let k = 0; k < 2 * count; k += 2) {
    const signal = found[k]!;
    if (signal < nView) continue;
    if (signal < s.metaIndex) rawOn[signal - nView] = 1;
    else if (signal === s.metaIndex) {
      const at = found[k + 1]!;
      if (metaAt[metaAt.length - 1] !== at) metaAt.push(at);
    } else if (signal === s.reversedIndex) reversed = true;
    else if (signal === s.reversedIndex + 1) rot13 = true;
    else open[signal - s.gateIndex] = 1;
  }
  let everywhere: Set<number> | undefined;
  if (ANY_SCRIPT.test(raw))
    for (const [script, list] of s.byScript)
      if (SCRIPT_TESTS[script].test(raw)) for (const i of list) (everywhere ??= new Set()).add(i);

  const hits: Hit[] = [];
  let documentKnown: boolean | undefined;
  const isDocument = (): boolean =>
    (documentKnown ??=
      typeof options.document === 'function' ? options.document() : options.document);
  let ctx: Context | undefined;
  const context = (): Context =>
    (ctx ??= {
      raw,
      view: view.text,
      rawAt: view.raw,
      marks: metaMarksAt(view.text, metaAt),
      fences: undefined,
    });
  let disguised = false;

  const take = (sig: CompiledView, index: number, m: RegExpExecArray): void => {
    const vs = m.index;
    if (!room(index, vs)) return;
    const ve = vs + m[0].length;
    const rs = view.raw[vs + 1]!;
    const re = rawEnd(raw, view, ve - 1);
    // The view has no punctuation: a match must not run from one sentence into the next.
    if (SENTENCE_END.test(raw.slice(rs, re))) return;
    // A harmful request that had to be decoded or joined was hidden on purpose.
    let w = depth > 0 && sig.id === HARMFUL_TOPIC ? HIDDEN_HARM : sig.w;
    for (const [name, delta] of sig.groups) if (m.groups?.[name] !== undefined) w += delta;
    if (sig.after !== null) {
      sig.after.lastIndex = re;
      if (sig.after.test(raw)) w += sig.afterW;
    }
    if (sig.user !== 1 && !isDocument()) w *= sig.user;
    const { factor } = dampOf(context(), vs, rs, re, sig.neg);
    w = Math.min(0.97, Math.max(0, w * factor));
    if (w <= 0) return;
    if (sig.disguisable && w >= 0.2 && !disguised) disguised = isDisguised(raw, rs, re, view);
    push(hits, { id: sig.id, kind: sig.kind, w, at: vs, start: rs, end: re });
  };

  // Signals tried everywhere: non-Latin scripts present, loose patterns.
  const global = (i: number): void => {
    const sig = s.view[i]!;
    if ((sig.bit & options.kinds) === 0) return;
    const re = sig.everywhere ? sig.re : new RegExp(sig.re.source, 'g');
    re.lastIndex = 0;
    for (let m = re.exec(view.text); m !== null; m = re.exec(view.text)) {
      if (m[0].length === 0) re.lastIndex++;
      else take(sig, i, m);
    }
  };
  if (options.ungated === true) {
    for (let i = 0; i < nView; i++) if (s.view[i]!.script === undefined) global(i);
  } else for (const i of s.everywhere) global(i);
  if (everywhere) for (const i of everywhere) global(i);

  // Sticky tries at first words, in text order.
  for (let k = 0; k < 2 * count && options.ungated !== true; k += 2) {
    const i = found[k]!;
    if (i >= nView) continue;
    const at = found[k + 1]!;
    const sig = s.view[i]!;
    if (at < until[i]! || (s.gated[i] && open[i] !== 1) || (sig.bit & options.kinds) === 0)
      continue;
    sig.re.lastIndex = at;
    const m = sig.re.exec(view.text);
    if (m === null || m[0].length === 0) continue;
    take(sig, i, m);
    until[i] = at + m[0].length;
  }

  for (let j = 0; j < s.raw.length; j++) {
    const sig = s.raw[j]!;
    if ((sig.bit & options.kinds) === 0) continue;
    if (options.ungated !== true) {
      if (sig.gated && rawOn[j] !== 1) continue;
      if (sig.has !== undefined && !sig.has.some((x) => raw.includes(x))) continue;
    }
    sig.re.lastIndex = 0;
    for (;;) {
      const m = sig.re.exec(raw);
      if (m === null) break;
      if (m[0].length === 0) {
        sig.re.lastIndex++;
        continue;
      }
      const rs = m.index;
      const re = rs + m[0].length;
      const vs = viewAt(view, rs);
      if (!room(nView + j, vs)) continue;
      const { factor } = dampOf(context(), vs, rs, re, false);
      const w = Math.min(0.97, sig.w * (sig.user === 1 || isDocument() ? 1 : sig.user) * factor);
      push(hits, { id: sig.id, kind: sig.kind, w, at: vs, start: rs, end: re });
    }
  }

  if ((options.kinds & kindBit('persona')) !== 0 && raw.includes(':'))
    dialogue(raw, (o) => viewAt(view, o), isDocument, hits);

  if ((options.kinds & kindBit('obfuscation')) !== 0) {
    if (disguised)
      hits.push({
        id: 'obfuscation.disguised',
        kind: 'obfuscation',
        w: 0.3,
        at: 0,
        start: 0,
        end: 0,
      });
    if (depth < MAX_DEPTH) {
      const derived = derivedTexts(raw, {
        reversed,
        rot13,
        longest: scanned.longest,
        hexPairs: scanned.hexPairs,
      });
      // Decoded runs are read together, as one text (one analysis, however many runs: a text
      // of many small runs costs one pass, not one per run); a hit is charged to its run.
      const runs = derived.filter((d) => d.how !== 'rot13' && d.how !== 'reversed');
      const whole = depth === 0 ? derived.filter((d) => !runs.includes(d)) : [];
      const read = (text: string, origin: (offset: number) => (typeof derived)[number]): void => {
        // What was hidden counts whatever its kind: `obfuscation` is the hiding.
        const sub = analyseAt(
          text,
          null,
          { ...options, document: isDocument, kinds: ALL_KINDS },
          depth + 1,
        );
        if (sub.score < DERIVED_MIN) return;
        const w = Math.min(0.95, sub.score + 0.15);
        const charged = new Set<(typeof derived)[number]>();
        for (const h of sub.hits) charged.add(origin(h.start));
        for (const d of charged)
          push(hits, {
            id: `obfuscation.${d.how}`,
            kind: 'obfuscation',
            w,
            at: viewAt(view, d.start),
            start: d.start,
            end: d.end,
          });
      };
      if (runs.length > 0) {
        const starts: number[] = [];
        let text = '';
        for (const d of runs) {
          starts.push(text.length);
          text += `${d.text}\n\n`;
        }
        read(text, (offset) => {
          let k = 0;
          while (k + 1 < starts.length && starts[k + 1]! <= offset) k++;
          return runs[k]!;
        });
      }
      for (const d of whole) read(d.text, () => d);
    }
  }
  return best(hits, options.kinds);
}

function push(hits: Hit[], hit: Hit): void {
  hits.push(hit);
}

/** The view offset of original offset `rawOffset` (the first view character at or after it). */
function viewAt(view: View, rawOffset: number): number {
  let lo = 0;
  let hi = view.text.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (view.raw[mid]! < rawOffset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Whether a match was disguised in the original: look-alike letters of other scripts,
 * fullwidth or mathematical letters, format characters, combining marks, leetspeak digits
 * between letters, or letters spaced out.
 */
function isDisguised(raw: string, start: number, end: number, view: View): boolean {
  for (let i = start; i < end; i++) {
    const c = raw.charCodeAt(i);
    if (
      (c >= 0x0300 && c <= 0x058f) ||
      (c >= 0x13a0 && c <= 0x13ff) ||
      (c >= 0x200b && c <= 0x200f) ||
      (c >= 0x2060 && c <= 0x2064) ||
      c === 0xfeff ||
      c === 0x00ad ||
      (c >= 0xff00 && c <= 0xffef) ||
      c === 0xd835
    )
      return true;
    if ('013457@$'.includes(raw[i]!) && isAsciiLetter(raw, i - 1) && isAsciiLetter(raw, i + 1))
      return true;
  }
  for (let k = 0; k < view.glue.length; k += 2)
    if (view.glue[k]! < end && view.glue[k + 1]! > start) return true;
  return false;
}

function isAsciiLetter(raw: string, i: number): boolean {
  const c = raw.charCodeAt(i);
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}
