import type { LanguageCheck } from '../rule-schema';
import {
  problem,
  type CheckInput,
  type CompileContext,
  type CompiledCheck,
  type Violation,
} from './check';

/**
 * The language of each segment, by `tinyld` (n-gram statistics over 62 languages), against an
 * allow list of ISO 639-1 codes. Violated when a segment's most likely language is not allowed
 * and the detector gives it at least `min_confidence`; a segment is judged by its prose only
 * (fenced and inline code and links taken out), and not at all when that holds fewer than
 * `min_chars` letters: tinyld's own figures are ~95% right from 24 characters, ~80% at 12 and
 * chance below 10, and names, numbers or code alone give no language.
 *
 * Build: tinyld's normal one (62 languages; 0.6 MB, ~8 MB of heap, ~0.2 s to load; 98.3% on
 * its benchmark). The light one knows 24 languages only, and an allow list names the language
 * a text should be in: light reads Ukrainian as Russian and Danish as Norwegian, so
 * `allow: [uk]` would refuse Ukrainian. The heavy one (2 MB, ~25 MB of heap, ~0.7 s to load)
 * knows the same 62 languages, a little better, for three times the memory in every gateway
 * process. The build is loaded when the first language rule is compiled, so a process without
 * one never pays for it.
 *
 * Speed: tinyld scores every n-gram of every word against every language, with allocations per
 * word: 0.05-0.7 ms for a new 160-character sample on a loaded 2-core VM (a chunk stops at the
 * first n-gram unique to one language, so the cost varies with the text), on its own more than
 * the whole input rule budget. So only the first `max_chars` characters of each
 * segment's prose are judged (cut at a word end), and verdicts are memoised per process by
 * that sample (a conversation sends its earlier turns and system prompt again with every call:
 * those are judged once and then cost a few microseconds). A text can therefore pass when its
 * first `max_chars` are in an allowed language and the rest is not.
 */

type Tinyld = typeof import('tinyld');
let tinyld: Tinyld | undefined;

function detector(): Tinyld {
  // Loaded on first use rather than imported, so that importing the library costs nothing
  // for processes without a language rule (see the top of this file).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  tinyld ??= require('tinyld') as Tinyld;
  return tinyld;
}

/** The ISO 639-1 codes tinyld can tell (its list also has a few 3-letter codes). */
export function detectableLanguages(): ReadonlySet<string> {
  const ld = detector();
  return new Set(ld.supportedLanguages.map((l) => ld.toISO2(l)).filter((c) => c.length === 2));
}

interface Verdict {
  readonly lang: string;
  readonly accuracy: number;
}

const MAX_MEMOISED = 2_048;
/** Sample → tinyld's best guess (null: none). Insertion order makes it a FIFO when full. */
const memo = new Map<string, Verdict | null>();

function judge(sample: string): Verdict | null {
  const known = memo.get(sample);
  if (known !== undefined) return known;
  const best = detector().detectAll(sample)[0];
  const verdict = best === undefined ? null : { lang: best.lang, accuracy: best.accuracy };
  if (memo.size >= MAX_MEMOISED) memo.delete(memo.keys().next().value!);
  memo.set(sample, verdict);
  return verdict;
}

export function compileLanguage(check: LanguageCheck, ctx: CompileContext): CompiledCheck | null {
  const detectable = detectableLanguages();
  let ok = true;
  check.allow.forEach((code, i) => {
    if (!detectable.has(code)) {
      problem(
        ctx,
        `allow[${i}]`,
        `is not a language tinyld detects (${[...detectable].join(', ')})`,
      );
      ok = false;
    }
  });
  if (!ok) return null;
  const allow = new Set(check.allow);
  const minChars = check.min_chars ?? 40;
  const minConfidence = check.min_confidence ?? 0.5;
  const maxChars = check.max_chars ?? 160;

  return {
    locates: false,
    run(input: CheckInput): Violation | null {
      for (const segment of input.segments) {
        const sample = proseSample(segment.text, maxChars);
        if (letterCount(sample) < minChars) continue;
        const verdict = judge(sample);
        if (verdict === null || allow.has(verdict.lang) || verdict.accuracy < minConfidence)
          continue;
        return {
          detail:
            `language ${verdict.lang} (confidence ${verdict.accuracy.toFixed(2)}) in ` +
            `${segment.name}, not in allow [${check.allow.join(', ')}]`,
        };
      }
      return null;
    },
  };
}

// Each alternative starts with a literal or is bounded, and consumes what it matched (an
// unclosed fence runs to the end), so a scan is linear in what it reads.
const NOT_PROSE = new RegExp(
  [
    '```[^]*?(?:```|$)', // fenced code (an unclosed fence hides the rest)
    '~~~[^]*?(?:~~~|$)',
    '`[^`\\n]{1,400}`', // inline code
    '\\b(?:https?://|www\\.)\\S+', // links
  ].join('|'),
  'g',
);

/** Prose past this is never looked for (it would take that much code before it). */
const MAX_SCANNED = 65_536;

/**
 * The segment's prose (code and links left out), at most `max` characters, cut at a word end.
 * The text is read in a window that grows only while it holds too little prose (a long code
 * block first), so a long segment costs what its first few hundred characters cost.
 */
export function proseSample(text: string, max: number): string {
  for (let window = max * 4; ; window *= 4) {
    const end = Math.min(text.length, window, MAX_SCANNED);
    const prose = proseIn(text.slice(0, end), max);
    if (prose.length > max || end === text.length || end === MAX_SCANNED) return cut(prose, max);
  }
}

/** The prose of `text`, up to one character past `max`. */
function proseIn(text: string, max: number): string {
  let prose = '';
  let last = 0;
  NOT_PROSE.lastIndex = 0;
  for (let m = NOT_PROSE.exec(text); m !== null && prose.length <= max; m = NOT_PROSE.exec(text)) {
    prose += `${text.slice(last, m.index)} `;
    last = m.index + m[0].length;
  }
  NOT_PROSE.lastIndex = 0;
  // One character past the budget tells whether the cut falls at a word end.
  return prose.length <= max ? prose + text.slice(last, last + max + 1 - prose.length) : prose;
}

function cut(prose: string, max: number): string {
  if (prose.length <= max) return prose;
  const at = prose.lastIndexOf(' ', max);
  return prose.slice(0, at > max / 2 ? at : max);
}

const LETTER = /\p{L}/gu;

function letterCount(text: string): number {
  return text.match(LETTER)?.length ?? 0;
}
