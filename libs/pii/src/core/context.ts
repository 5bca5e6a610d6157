/**
 * Context words raise or lower a candidate's score, as Presidio's context enhancer does: the
 * text just before and just after the candidate is lower-cased, stripped of accents, cut into
 * ASCII words and searched for the rule's words or phrases.
 */
export interface ContextSpec {
  /** Words or phrases (lower case, single spaces) that make the entity likely. */
  words: readonly string[];
  /** Added to the base score when one of `words` is near. */
  boost: number;
  /** Words or phrases that make the entity unlikely (order numbers, versions, maths). */
  negative?: readonly string[];
  /** Subtracted when one of `negative` is just before the value (even if a positive word is near). */
  penalty?: number;
  /** Code units looked at before the candidate. Default 48. */
  before?: number;
  /** Code units looked at after the candidate. Default 24. */
  after?: number;
}

const NON_WORD = /[^a-z0-9]+/g;
const NON_ASCII = /[^\x00-\x7f]/;
const COMBINING = /[\u0300-\u036f]/g;

/** Words before and after [start, end), each as ` word word ` (padded with spaces). */
export function contextWindows(
  text: string,
  start: number,
  end: number,
  before = 48,
  after = 24,
): { left: string; right: string } {
  let left = text.slice(Math.max(0, start - before), start);
  let right = text.slice(end, Math.min(text.length, end + after));
  // A new line starts a new thought; a sentence end after the value closes its context.
  // (Only the right side is cut at `. `: `NHS no. 943...` must keep its word on the left.)
  left = left.slice(left.lastIndexOf('\n') + 1);
  const sentence = lastSentenceEnd(left);
  if (sentence !== -1) left = left.slice(sentence);
  const stop = right.search(/\n|[.?!](?:\s|$)/);
  if (stop !== -1) right = right.slice(0, stop);
  return { left: normalize(left), right: normalize(right) };
}

// `release. allow`, `done! Card`: a word of 4+ letters (or a digit or bracket) before the
// stop. Short words are kept as abbreviations: `NHS no. 943`, `tel. 020`, `Dr. Jane`.
const SENTENCE_END = /(?:[A-Za-z]{4}|[0-9)\]"'])[.!?;]\s/g;

function lastSentenceEnd(s: string): number {
  let at = -1;
  SENTENCE_END.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = SENTENCE_END.exec(s)) !== null) at = m.index + m[0].length;
  return at;
}

function normalize(s: string): string {
  const ascii = NON_ASCII.test(s) ? s.normalize('NFD').replace(COMBINING, '') : s;
  return ` ${ascii.toLowerCase().replace(NON_WORD, ' ')} `;
}

/** Both sides of the context as one string; the value itself is a hard separator. */
export function contextWindow(
  text: string,
  start: number,
  end: number,
  before = 48,
  after = 24,
): string {
  const { left, right } = contextWindows(text, start, end, before, after);
  return `${left}|${right}`;
}

// Word lists padded with spaces once, not on every candidate.
const padded = new WeakMap<readonly string[], readonly string[]>();

/** True when one of `words` (already lower-case, space-separated) occurs in `window`. */
export function hasAny(window: string, words: readonly string[]): boolean {
  let list = padded.get(words);
  if (!list) {
    list = words.map((w) => ` ${w} `);
    padded.set(words, list);
  }
  for (const w of list) if (window.includes(w)) return true;
  return false;
}

// Negative words count only right before the value (`order 123`, `version 1.2`), not four
// words back where they usually belong to something else.
const NEGATIVE_WORDS = 3;

function lastWords(window: string, n: number): string {
  const words = window.trim().split(' ');
  return ` ${words.slice(Math.max(0, words.length - n)).join(' ')} `;
}

/**
 * Base score adjusted by the context around [start, end), clamped to [0, 1] and rounded to
 * two decimals. Positive words count on both sides; negative words only among the three
 * words just before the value, where "order 123" or "version 1.2" put them.
 */
export function scoreWithContext(
  text: string,
  start: number,
  end: number,
  base: number,
  spec: ContextSpec | undefined,
): number {
  if (!spec) return base;
  const { left, right } = contextWindows(text, start, end, spec.before, spec.after);
  let score = base;
  if (hasAny(left, spec.words) || hasAny(right, spec.words)) score += spec.boost;
  if (spec.negative && hasAny(lastWords(left, NEGATIVE_WORDS), spec.negative))
    score -= spec.penalty ?? 0.35;
  return Math.min(1, Math.max(0, Math.round(score * 100) / 100));
}
