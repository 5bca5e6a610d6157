import { boundaryBefore } from '../core/chars';
import { dateValid, monthFromName } from '../validators/dates';
import type { Detector } from './detector';

const WINDOW = 40;
// Applied to the 40-character window beside a cue only, never to the whole input.
const NUMERIC_YMD = /\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b/g;
const NUMERIC_XXY = /\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})\b/g;
const DAY_MONTH_YEAR = /\b(\d{1,2})(?:st|nd|rd|th)?(?: of)? ([A-Za-z]{3,9})\.?,? (\d{4})\b/g;
const MONTH_DAY_YEAR = /\b([A-Za-z]{3,9})\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})\b/g;

const INTRODUCES = /^[\s:=-]*(?:(?:is|was|on|of)\s+)?$/i;

interface Span {
  start: number;
  end: number;
}

const year2 = (y: string): number =>
  y.length === 2 ? (Number(y) > 30 ? 1900 : 2000) + Number(y) : Number(y);

function datesIn(window: string): Span[] {
  const spans: Span[] = [];
  const add = (re: RegExp, ok: (m: RegExpExecArray) => boolean): void => {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(window)) !== null)
      if (ok(m)) spans.push({ start: m.index, end: m.index + m[0].length });
  };
  add(NUMERIC_YMD, (m) => dateValid(Number(m[1]), Number(m[2]), Number(m[3])));
  add(NUMERIC_XXY, (m) => {
    const y = year2(m[3] ?? '');
    return dateValid(y, Number(m[2]), Number(m[1])) || dateValid(y, Number(m[1]), Number(m[2]));
  });
  add(DAY_MONTH_YEAR, (m) => dateValid(Number(m[3]), monthFromName(m[2] ?? '') ?? 0, Number(m[1])));
  add(MONTH_DAY_YEAR, (m) => dateValid(Number(m[3]), monthFromName(m[1] ?? '') ?? 0, Number(m[2])));
  return spans.sort((a, b) => a.start - b.start);
}

/** The date a cue at [at, at + word.length) refers to, as absolute offsets, or undefined. */
function dateForCue(text: string, at: number, word: string, notBefore: number): Span | undefined {
  // The whole word: `birthday is`, `birthdate:`, not `birth` + `day is`.
  let cueEnd = at + word.length;
  while (cueEnd < text.length && cueEnd - at < 12 && /[A-Za-z]/.test(text.charAt(cueEnd))) cueEnd++;
  // `date of birth`: the cue starts at `date` when measuring the gap to a date before it.
  const cueStart = /date of $/i.test(text.slice(Math.max(0, at - 8), at)) ? at - 8 : at;
  const after = datesIn(text.slice(cueEnd, cueEnd + WINDOW))[0];
  const beforeFrom = Math.max(notBefore, cueStart - WINDOW);
  const befores = datesIn(text.slice(beforeFrom, cueStart));
  const before = befores[befores.length - 1];
  // The date nearest to the cue wins (`1937-05-11 (date of birth) Deadline: 2016-07-05`),
  // unless the cue introduces the date after it (`DOB: 1974-06-30`, `born on ...`).
  const introduces =
    after !== undefined && INTRODUCES.test(text.slice(cueEnd, cueEnd + after.start));
  const gapAfter = after ? (introduces ? -1 : after.start) : Infinity;
  const gapBefore = before ? cueStart - beforeFrom - before.end : Infinity;
  if (gapBefore < gapAfter && before)
    return { start: beforeFrom + before.start, end: beforeFrom + before.end };
  return after ? { start: cueEnd + after.start, end: cueEnd + after.end } : undefined;
}

/**
 * Dates of birth: a valid calendar date within 40 characters after (or else before) a birth
 * cue (`born`, `DOB`, `date of birth`, `birthday`, ...). A date without a cue is not reported.
 */
export const dobDetector: Detector = {
  name: 'dob',
  types: ['DATE_OF_BIRTH'],
  patterns: [NUMERIC_YMD, NUMERIC_XXY, DAY_MONTH_YEAR, MONTH_DAY_YEAR],
  detect(text, out, ctx) {
    let lastEnd = 0;
    for (const cue of ctx.cues()) {
      if (cue.family !== 'dob' || !boundaryBefore(text, cue.at)) continue;
      const hit = dateForCue(text, cue.at, cue.word, lastEnd);
      if (!hit || hit.start < lastEnd) continue;
      out.push({
        type: 'DATE_OF_BIRTH',
        start: hit.start,
        end: hit.end,
        score: 0.85,
        rule: 'dob.cue',
      });
      lastEnd = hit.end;
    }
  },
};
