import { MENTION, META, REPORTED, TOLD_ME } from './lexicon';
import { NOT } from './signals';
import { firstWords } from './pattern-ast';
import { compilePattern, patternSource } from './patterns';

/**
 * How real attacks differ from talk about attacks, read around each match: an attack is an
 * imperative to the model; a discussion quotes it (`the phrase "ignore previous instructions"`),
 * reports it (`an attacker could type …`), negates it (`never reveal your prompt`), asks about
 * it (`why does … work?`), or sits in a text about prompt injection. Each of these multiplies
 * the match's weight down; none removes it, so an attack that wraps itself in a quote or a
 * "for my research" still adds up when it says enough.
 */

/** Factors, each applied when its cue is found. */
export const DAMP = {
  negated: 0.15,
  reported: 0.45,
  mention: 0.5,
  quotedInDiscussion: 0.5,
  quoted: 0.85,
  question: 0.6,
  meta: 0.6,
} as const;

/** How far (view characters) a discussion marker reaches. */
const META_REACH = 700;

const META_RE = compilePattern(META, false, 'y');
const MENTION_END = new RegExp(`${patternSource(MENTION)}(?: [^ ]+){0,3} $`);
const REPORTED_END = new RegExp(
  `(?:${patternSource(REPORTED)}(?: [^ ]+){0,8}|${patternSource(TOLD_ME)}) $`,
);
const NEGATED_END = new RegExp(`${patternSource(NOT)}(?: (ever|to|you|please|just))? $`);
const QUESTION_START =
  /^\s*(?:what|how|why|is|are|does|do|should|when|where|which|who|can (?:i|we|someone|an attacker|people)|could (?:someone|an attacker|this)|would (?:it|this|that)|explain|describe)\b/i;
/** A request to explain, which is a question whatever its punctuation. */
const EXPLAIN =
  /^\s*(?:please\s+)?(?:explain|describe|tell me (?:about|what|why|how)|what does|what is)\b/i;
const CONCEPT =
  /\b(?:attack|injection|jailbreak|work|works|mean|means|happen|happens|defend|prevent|detect|example|called|phrase|exploit|vulnerab|safe|dangerous|risk|realistic|valid|count|legit|blocked|flagged|filtered|logged)\b/i;

/** The words a discussion marker can start with (for the trigger table). */
export function metaFirstWords(): string[] {
  return firstWords(META) ?? [];
}

/** Where a view's discussion markers are, tried at `starts` (view offsets of first words). */
export function metaMarksAt(view: string, starts: readonly number[]): number[] {
  const marks: number[] = [];
  for (const at of starts) {
    META_RE.lastIndex = at;
    if (META_RE.test(view)) marks.push(at);
    if (marks.length >= 64) break;
  }
  return marks;
}

function nearMeta(marks: readonly number[], at: number): boolean {
  for (const m of marks) if (Math.abs(m - at) <= META_REACH) return true;
  return false;
}

/** Whether `[start, end)` of the original sits inside quotes on its line, or in a code block. */
export function quoted(raw: string, start: number, end: number, ctx?: Context): boolean {
  const lineStart = raw.lastIndexOf('\n', start - 1) + 1;
  const from = Math.max(lineStart, start - 400);
  let dq = 0;
  let open = 0;
  let bt = 0;
  let sq = 0;
  for (let i = from; i < start; i++) {
    const c = raw.charCodeAt(i);
    if (c === 34) dq++;
    else if (c === 0x201c || c === 0x00ab || c === 0x300c || c === 0x300e || c === 0x2018) open++;
    else if (c === 0x201d || c === 0x00bb || c === 0x300d || c === 0x300f) open--;
    else if (c === 0x2019) {
      // A closing curly single quote, unless it is an apostrophe inside a word.
      if (!isLetter(raw.charCodeAt(i + 1))) open--;
    } else if (c === 96) bt++;
    else if (c === 39) {
      const before = raw.charCodeAt(i - 1);
      const after = raw.charCodeAt(i + 1);
      if (!isLetter(before) && isLetter(after)) sq++;
      else if (isLetter(before) && !isLetter(after)) sq--;
    }
  }
  if (dq % 2 === 1) return !jsonValue(raw, from, start);
  if (open > 0 || bt % 2 === 1 || sq > 0) return true;
  // A code block: an odd number of fences before.
  void end;
  let fences = ctx?.fences;
  if (fences === undefined) {
    fences = [];
    for (let i = raw.indexOf('```'); i !== -1; i = raw.indexOf('```', i + 3)) fences.push(i);
    if (ctx) ctx.fences = fences;
  }
  let before = 0;
  while (before < fences.length && fences[before]! < start) before++;
  return before % 2 === 1;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c > 127 && !Number.isNaN(c));
}

/** An odd double quote that opens a JSON string value is data, not a quotation. */
function jsonValue(raw: string, from: number, start: number): boolean {
  const q = raw.lastIndexOf('"', start - 1);
  if (q < from) return false;
  let i = q - 1;
  while (i >= from && (raw[i] === ' ' || raw[i] === '\t')) i--;
  return i >= 0 && (raw[i] === ':' || raw[i] === '[' || raw[i] === ',');
}

/** The sentence of the original around `at`, for the question cue. */
function sentenceAround(raw: string, at: number): string {
  let s = at;
  while (s > 0 && s > at - 300 && !'.!?\n'.includes(raw[s - 1]!)) s--;
  let e = at;
  while (e < raw.length && e < at + 300 && !'.!?\n'.includes(raw[e]!)) e++;
  return raw.slice(s, e < raw.length ? e + 1 : e);
}

export interface Context {
  readonly raw: string;
  readonly view: string;
  /** The view's offsets in the original (View.raw). */
  readonly rawAt: Int32Array;
  readonly marks: readonly number[];
  /** Where the original's code fences (three backticks) are, found on first need. */
  fences: number[] | undefined;
}

/** The view text before `vs`, back to the start of its sentence in the original (at most 120). */
function before(ctx: Context, vs: number, rs: number): string {
  let ss = rs;
  while (ss > 0 && rs - ss < 300) {
    const c = ctx.raw[ss - 1]!;
    if (c === '\n' || ((c === '.' || c === '!' || c === '?') && /\s/.test(ctx.raw[ss] ?? ' ')))
      break;
    ss--;
  }
  let k = vs;
  while (k > 0 && vs - k < 120 && ctx.rawAt[k - 1]! >= ss) k--;
  const text = ctx.view.slice(k, vs + 1);
  return text.startsWith(' ') ? text : ` ${text}`;
}

/**
 * The factor of a match at view offsets `[vs, ve)` and original offsets `[rs, re)`.
 * `negatable`: the signal is an imperative that a negation just before turns around.
 */
export function dampOf(
  ctx: Context,
  vs: number,
  rs: number,
  re: number,
  negatable: boolean,
): { factor: number; cues: number } {
  let factor = 1;
  let cues = 0;
  const prior = before(ctx, vs, rs);
  if (negatable && NEGATED_END.test(prior)) {
    factor *= DAMP.negated;
    cues++;
  }
  const reported = REPORTED_END.test(prior);
  if (reported) {
    factor *= DAMP.reported;
    cues++;
  }
  const mention = MENTION_END.test(prior);
  if (mention) {
    factor *= DAMP.mention;
    cues++;
  }
  const meta = nearMeta(ctx.marks, vs);
  const sentence = sentenceAround(ctx.raw, rs);
  const question =
    (sentence.trimEnd().endsWith('?') && QUESTION_START.test(sentence)) || EXPLAIN.test(sentence);
  if (quoted(ctx.raw, rs, re, ctx)) {
    // A quotation inside a question or a discussion is the thing talked about.
    factor *= meta || mention || reported || question ? DAMP.quotedInDiscussion : DAMP.quoted;
    cues++;
  }
  if (question && CONCEPT.test(sentence)) {
    factor *= DAMP.question;
    cues++;
  }
  if (meta) {
    factor *= DAMP.meta;
    cues++;
  }
  return { factor, cues };
}
