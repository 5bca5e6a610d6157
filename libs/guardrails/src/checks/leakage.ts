import { GuardrailEvaluationError } from '../errors';
import type { LeakageCheck } from '../rule-schema';
import { canaryCore } from './canary';
import {
  problem,
  type CheckInput,
  type CompileContext,
  type CompiledCheck,
  type Segment,
  type Span,
  type Violation,
} from './check';
import { normalise, normalisePhrase, originalEnd, type NormalisedText } from './normalise';

/**
 * System-prompt leakage in an answer (stage `output`, or `tool_call`, whose arguments can carry
 * it out too). Two tests, on the item's `canary` and `system_prompt` (both per call, so nothing
 * is prepared when the rule is compiled):
 *
 * - the canary (see canary.ts) appears in a segment, read as phrases are read (normalise.ts:
 *   case, spacing, zero-width characters, homoglyphs and leetspeak do not hide it);
 * - the answer repeats at least `min_overlap` of the system prompt's word 5-grams (shingles),
 *   both sides normalised alike, so changes of whitespace, case, punctuation or Markdown do not
 *   matter, and reordered or partial copies count by what they copy. A paraphrase shares few
 *   5-word runs and does not count. A prompt shorter than `min_prompt_words` words is left to
 *   the canary (a short prompt's shingles are too few to tell a copy from a coincidence).
 *
 * Cost: the prompt is normalised and its shingles hashed (32-bit FNV-1a of the words, combined)
 * on every call, linear in the prompt but capped: past MAX_PROMPT_CHARS the rest of the prompt
 * is not read, and past MAX_SHINGLES distinct shingles a fixed share is kept by hash value (an
 * even sample over the whole prompt, so a long prompt is still measured over all of it). The
 * answer's normalised text is the one phrase checks share; each of its words costs one hash and
 * one set lookup.
 */

/** Words per shingle: long enough that a shared run is a copy, short enough to survive edits. */
const SHINGLE = 5;
const MAX_PROMPT_CHARS = 65_536;
const MAX_SHINGLES = 4_096;
/** A canary whose core normalises to fewer letters could occur by chance. */
const MIN_CANARY_LETTERS = 12;

export function compileLeakage(check: LeakageCheck, ctx: CompileContext): CompiledCheck | null {
  if (ctx.stage !== 'output' && ctx.stage !== 'tool_call') {
    problem(ctx, null, 'leakage applies only to rules of stage output or tool_call');
    return null;
  }
  const minOverlap = check.min_overlap ?? 0.5;
  const minWords = check.min_prompt_words ?? 20;

  return {
    locates: true,
    run(input: CheckInput, wantSpans: boolean): Violation | null {
      const item = input.item;
      if (item?.canary !== undefined) {
        const found = findCanary(input, item.canary, wantSpans);
        if (found !== null) return found;
      }
      if (item?.system_prompt === undefined) return null;
      const prompt = promptShingles(item.system_prompt, minWords);
      if (prompt === null) return null;
      return findOverlap(input, prompt, minOverlap, wantSpans);
    },
  };
}

function findCanary(input: CheckInput, canary: string, wantSpans: boolean): Violation | null {
  const core = normalisePhrase(canaryCore(canary));
  if (core.length < MIN_CANARY_LETTERS)
    throw new GuardrailEvaluationError(
      `the item's canary is too short to be unique (under ${MIN_CANARY_LETTERS} letters or digits)`,
    );
  let first: string | null = null;
  const spans: Span[] = [];
  for (const segment of input.segments) {
    const norm = input.normalised(segment);
    let at = norm.letters.indexOf(core);
    if (at === -1) continue;
    first ??= segment.name;
    if (!wantSpans) break;
    while (at !== -1) {
      spans.push(span(segment, norm, at, at + core.length));
      at = norm.letters.indexOf(core, at + core.length);
    }
  }
  if (first === null) return null;
  const detail = `the system prompt's canary appears in ${first}`;
  return wantSpans ? { detail, spans } : { detail };
}

interface PromptShingles {
  /** Shingle hash → its index in `seen`. */
  readonly index: Map<number, number>;
  /** One shingle in this many is kept, by hash value (1: all). */
  readonly keepOneIn: number;
}

function promptShingles(systemPrompt: string, minWords: number): PromptShingles | null {
  const norm = normalise(systemPrompt.slice(0, MAX_PROMPT_CHARS));
  const words = wordHashes(norm);
  if (words.hashes.length < Math.max(minWords, SHINGLE)) return null;
  const all = new Set<number>();
  for (let k = 0; k + SHINGLE <= words.hashes.length; k++) all.add(shingle(words.hashes, k));
  const keepOneIn = Math.ceil(all.size / MAX_SHINGLES);
  const index = new Map<number, number>();
  for (const h of all) if (kept(h, keepOneIn)) index.set(h, index.size);
  return { index, keepOneIn };
}

function findOverlap(
  input: CheckInput,
  prompt: PromptShingles,
  minOverlap: number,
  wantSpans: boolean,
): Violation | null {
  const seen = new Uint8Array(prompt.index.size);
  let matched = 0;
  let first: string | null = null;
  const runs: { segment: Segment; norm: NormalisedText; words: WordHashes; hits: number[] }[] = [];
  for (const segment of input.segments) {
    const norm = input.normalised(segment);
    const words = wordHashes(norm);
    const hits: number[] = [];
    for (let k = 0; k + SHINGLE <= words.hashes.length; k++) {
      const h = shingle(words.hashes, k);
      const i = kept(h, prompt.keepOneIn) ? prompt.index.get(h) : undefined;
      if (i === undefined) continue;
      hits.push(k);
      if (seen[i] === 0) {
        seen[i] = 1;
        matched++;
      }
    }
    if (hits.length === 0) continue;
    first ??= segment.name;
    if (wantSpans) runs.push({ segment, norm, words, hits });
  }
  const share = prompt.index.size === 0 ? 0 : matched / prompt.index.size;
  if (first === null || share < minOverlap) return null;
  const detail =
    `${first} repeats ${Math.floor(share * 100)}% of the system prompt's ` +
    `${SHINGLE}-word shingles (min_overlap ${minOverlap})`;
  if (!wantSpans) return { detail };
  const spans: Span[] = [];
  for (const { segment, norm, words, hits } of runs) {
    // Consecutive and overlapping shingles make one span of the words they cover.
    let start = hits[0]!;
    let end = start + SHINGLE;
    for (const k of hits.slice(1)) {
      if (k <= end) end = Math.max(end, k + SHINGLE);
      else {
        spans.push(span(segment, norm, words.starts[start]!, words.starts[end]!));
        start = k;
        end = k + SHINGLE;
      }
    }
    spans.push(span(segment, norm, words.starts[start]!, words.starts[end]!));
  }
  return { detail, spans };
}

/** Whether the sample of one shingle in `keepOneIn` (by hash value) holds `h`. */
function kept(h: number, keepOneIn: number): boolean {
  return keepOneIn === 1 || (h & 0x7fffffff) % keepOneIn === 0;
}

interface WordHashes {
  readonly hashes: Int32Array;
  /** Where each word starts in the letters, and (last entry) where the letters end. */
  readonly starts: Int32Array;
}

// FNV-1a in int32 arithmetic throughout: a hash above 2^31 held as a double would make V8
// deoptimise these loops again and again.
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** FNV-1a of each word of the normalised text (words run from one boundary to the next). */
function wordHashes(norm: NormalisedText): WordHashes {
  const { letters, boundary } = norm;
  const n = letters.length;
  let count = 0;
  for (let i = 0; i < n; i++) if (boundary[i] === 1) count++;
  const hashes = new Int32Array(count);
  const starts = new Int32Array(count + 1);
  let w = -1;
  let h = 0;
  for (let i = 0; i < n; i++) {
    if (boundary[i] === 1) {
      if (w >= 0) hashes[w] = h;
      w++;
      starts[w] = i;
      h = FNV_OFFSET;
    }
    h = Math.imul(h ^ letters.charCodeAt(i), FNV_PRIME);
  }
  if (w >= 0) hashes[w] = h;
  starts[count] = n;
  return { hashes, starts };
}

function shingle(words: Int32Array, k: number): number {
  let h = FNV_OFFSET;
  for (let j = k; j < k + SHINGLE; j++) h = Math.imul(h ^ words[j]!, FNV_PRIME);
  return h;
}

/** Letters `[from, to)` of a segment's normalised text, as a span of its original text. */
function span(segment: Segment, norm: NormalisedText, from: number, to: number): Span {
  return {
    segment: segment.name,
    start: norm.from[from]!,
    end: originalEnd(segment.text, norm, to - 1),
  };
}
