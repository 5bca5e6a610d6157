import { boundaryBefore, isSpace } from '../core/chars';
import type { Finding } from '../types';
import { rewind, type Detector } from './detector';

// Honorifics, case-sensitive: "Dr" before a capitalised word.
const TITLE = /(?:Mrs?|Ms|Miss|Mx|Dr|Prof|Sra?)\.? /y;
const NAME_TOKEN =
  /(?:Mc|Mac|Van|Von|De|Di|Da|Du|La|Le|O'|D')?[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{1,24}(?:[-'’][A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{1,24})?/y;
const PARTICLES = new Set([
  'van',
  'von',
  'de',
  'da',
  'del',
  'der',
  'di',
  'du',
  'la',
  'le',
  'bin',
  'al',
  'dos',
  'das',
]);
const STOP = new Set([
  'The',
  'A',
  'An',
  'This',
  'That',
  'These',
  'Those',
  'It',
  'Is',
  'Sir',
  'Madam',
  'Team',
  'All',
  'Everyone',
  'Customer',
  'Customers',
  'User',
  'Users',
  'Support',
  'Admin',
  'There',
  'Friend',
  'Friends',
  'Colleagues',
  'Hiring',
  'Manager',
  'Valued',
  'Member',
  'Members',
  'Client',
  'Sales',
  'Hello',
  'Hi',
  'Thanks',
  'Thank',
  'Regards',
  'Best',
  'Kind',
  'Warm',
  'Sincerely',
  'Dear',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
  'Not',
  'Just',
  'Here',
  'Going',
  'Sure',
  'Sorry',
  'Happy',
  'Glad',
  'Please',
  'Yes',
  'No',
  'Ok',
  'Okay',
  'String',
  'Number',
  'Boolean',
  'Object',
  'Array',
  'Null',
  'None',
  'True',
  'False',
  'Required',
  'Optional',
  'Name',
  'Unknown',
  'Anonymous',
  'Test',
  'Example',
  'Sample',
  'Default',
  'New',
  'Main',
  'Home',
  'Company',
  'Inc',
  'Ltd',
  'Corp',
  'Mr',
  'Mrs',
  'Ms',
  'Dr',
  'Prof',
  'Department',
  'Office',
  'Group',
  'Service',
  'Services',
]);
// Keys that hold a name when glued to `name`: `surname:`, `"firstName": "Ada"`, `full_name=`.
const NAME_KEY_PREFIX =
  /(?:sur|first|last|full|display|given|family|middle|customer|patient|client|contact)[_ -]?$/i;
const NAME_ASSIGN = /^["']?\s{0,2}(?::|=)\s{0,2}["']?|^ is |^d /;
const SIGNOFF = new Set(['regards,', 'sincerely,', 'cheers,', 'thanks,', 'best,']);

interface Cue {
  /** Where the name may start. */
  end: number;
  score: number;
  rule: string;
  /** The name may be on the next line (sign-offs). */
  newline: boolean;
}

/** Decides whether the cue word at `at` really introduces a name, and how strongly. */
function readCue(text: string, at: number, word: string): Cue | undefined {
  const before = at > 0 ? text.charCodeAt(at - 1) : 32;
  const glued = (before >= 65 && before <= 90) || (before >= 97 && before <= 122);
  const end = at + word.length;
  if (word === 'name') {
    if (glued && !NAME_KEY_PREFIX.test(text.slice(Math.max(0, at - 9), at))) return undefined;
    const m = NAME_ASSIGN.exec(text.slice(end, end + 8));
    return m
      ? { end: end + m[0].length, score: 0.8, rule: 'person.cue.name', newline: false }
      : undefined;
  }
  if (glued) return undefined;
  if (SIGNOFF.has(word)) return { end, score: 0.6, rule: 'person.cue.signoff', newline: true };
  if (word === 'dear') return { end, score: 0.6, rule: 'person.cue.dear', newline: false };
  if (word === 'from:' || word === 'to:' || word === 'cc:') {
    return at === 0 || before === 10
      ? { end, score: 0.7, rule: 'person.cue.header', newline: false }
      : undefined;
  }
  const after = text.slice(end, end + 1);
  if (word === 'patient' && after !== ':' && after !== ' ') return undefined;
  return {
    end: after === ':' ? end + 1 : end,
    score: 0.8,
    rule: 'person.cue.role',
    newline: false,
  };
}

/** End offset of one to four name tokens starting at `pos` (particles allowed inside), or -1. */
function nameEnd(text: string, pos: number): number {
  let end = -1;
  let i = pos;
  for (let tokens = 0; tokens < 4; tokens++) {
    NAME_TOKEN.lastIndex = i;
    const m = NAME_TOKEN.exec(text);
    if (!m || STOP.has(m[0])) break;
    const after = text.charCodeAt(i + m[0].length);
    if (
      (after >= 65 && after <= 90) ||
      (after >= 97 && after <= 122) ||
      (after >= 48 && after <= 57) ||
      after === 95
    )
      break;
    end = i + m[0].length;
    if (text.charCodeAt(end) !== 32) break;
    i = end + 1;
    const particle = /^[a-z]{2,3} /.exec(text.slice(i, i + 4));
    if (particle && PARTICLES.has(particle[0].trim())) i += particle[0].length;
  }
  return end;
}

function skipGap(text: string, i: number, allowNewline: boolean): number {
  let n = 0;
  while (
    i < text.length &&
    n < 3 &&
    isSpace(text.charCodeAt(i)) &&
    (allowNewline || text.charCodeAt(i) !== 10)
  ) {
    i++;
    n++;
  }
  return i;
}

function push(out: Finding[], start: number, end: number, score: number, rule: string): void {
  if (end > start) out.push({ type: 'PERSON', start, end, score, rule });
}

/**
 * Person names only where a cue makes one likely: "my name is", "Name:", honorifics
 * ("Dr Jane Doe"), greetings ("Dear Jane"), sign-offs ("Regards,\nJane"), e-mail headers.
 * One to four capitalised tokens are taken after the cue. No dictionary, no NLP: a name
 * without a cue is not found, and a capitalised non-name after a cue is a false positive.
 */
export const personDetector: Detector = {
  name: 'person',
  types: ['PERSON'],
  patterns: [TITLE, NAME_TOKEN],
  detect(text, out, ctx) {
    for (const found of ctx.cues()) {
      if (found.family !== 'person') continue;
      const cue = readCue(text, found.at, found.word);
      if (!cue) continue;
      const start = skipGap(text, cue.end, cue.newline);
      // `dearest`, `patients`: the cue word runs on into another word.
      if (start === cue.end && /[a-z]/i.test(text.charAt(cue.end - 1))) continue;
      push(out, start, nameEnd(text, start), cue.score, cue.rule);
    }
    for (const found of ctx.cues()) {
      if (found.family !== 'title' || !boundaryBefore(text, found.at)) continue;
      const m = rewind(TITLE, found.at).exec(text);
      if (!m) continue;
      const start = found.at + m[0].length;
      push(out, start, nameEnd(text, start), 0.75, 'person.title');
    }
  },
};
