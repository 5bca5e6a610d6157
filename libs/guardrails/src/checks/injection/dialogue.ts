import {
  COMPLIANT,
  INLINE_COMPLIANT,
  INLINE_ROLES,
  INLINE_TURN_AFTER,
  JSON_ROLES,
  LINE_ROLES,
  MODEL_ROLES,
  OPEN_TURN,
} from './lexicon/raw';
import type { Hit } from './windows';

/**
 * A dialogue written into one text, the model's side complying: many-shot priming. Three or
 * more turns with a model turn; more when the last turn is left open for the model, or the
 * model turns comply eagerly. A document (an FAQ with Q/A) weighs less.
 */
export function dialogue(
  raw: string,
  at: (rawOffset: number) => number,
  isDocument: () => boolean,
  hits: Hit[],
): void {
  const { turns, model, first, open, compliant } = turnsOf(raw);
  if (turns < 3 || model === 0) return;
  let w = 0.3;
  if (open || OPEN_TURN.test(raw)) w += 0.2;
  COMPLIANT.lastIndex = 0;
  if (compliant || COMPLIANT.test(raw)) w += 0.15;
  if (isDocument()) w *= 0.6;
  hits.push({
    id: 'persona.fake-dialogue',
    kind: 'persona',
    w,
    at: at(first),
    start: first,
    end: first,
  });
}

interface Turns {
  turns: number;
  model: number;
  /** Where the first turn starts, or -1. */
  first: number;
  /** The text ends on an empty inline model turn (OPEN_TURN tests the other forms). */
  open: boolean;
  /** An inline model turn starts with an eager reply (COMPLIANT tests the other forms). */
  compliant: boolean;
}

/** Space or tab. */
function isBlank(code: number): boolean {
  return code === 32 || code === 9;
}

/** An ASCII letter: role names are English words. */
function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/**
 * The turns: a role name before a colon at the start of a line (after `>` or blanks, as
 * `TURN` reads them), in JSON (`"user":`), or run together on one line after the end of a
 * sentence (`… [...] Human: … AI:`, the unambiguous role names only). Walks the colons with
 * `indexOf` rather than running a regular expression, which is tried at every character of
 * every text (with a lookbehind for the inline form, that was 10 µs on 2 KB of prose).
 */
export function turnsOf(raw: string): Turns {
  const out: Turns = { turns: 0, model: 0, first: -1, open: false, compliant: false };
  for (let c = raw.indexOf(':'); c !== -1 && out.turns < 64; c = raw.indexOf(':', c + 1)) {
    let end = c;
    while (end > 0 && isBlank(raw.charCodeAt(end - 1))) end--;
    const json = raw.charCodeAt(end - 1) === 34; // "
    if (json) end--;
    let start = end;
    while (start > 0 && start > end - 10 && isLetter(raw.charCodeAt(start - 1))) start--;
    if (start === end) continue;
    // The context first (cheap), the role word only where a turn may start.
    let at = start;
    let roles: ReadonlySet<string>;
    let inline = false;
    if (json) {
      if (raw.charCodeAt(start - 1) !== 34) continue;
      roles = JSON_ROLES;
      at = start - 1;
    } else {
      let k = start;
      while (k > 0 && (isBlank(raw.charCodeAt(k - 1)) || raw.charCodeAt(k - 1) === 62)) k--; // >
      if (k === 0 || raw.charCodeAt(k - 1) === 10) {
        roles = LINE_ROLES;
        at = k === 0 ? 0 : k - 1;
      } else if (
        k === start - 1 &&
        raw.charCodeAt(k) === 32 &&
        INLINE_TURN_AFTER.includes(raw[k - 1]!)
      ) {
        roles = INLINE_ROLES;
        inline = true;
      } else continue;
    }
    const role = raw.slice(start, end).toLowerCase();
    if (!roles.has(role)) continue;
    out.turns++;
    if (out.first === -1) out.first = at;
    if (!MODEL_ROLES.has(role)) continue;
    out.model++;
    if (!inline) continue;
    if (/^\s*$/.test(raw.slice(c + 1, c + 40)) && raw.trimEnd().length === c + 1) out.open = true;
    INLINE_COMPLIANT.lastIndex = c + 1;
    if (INLINE_COMPLIANT.test(raw)) out.compliant = true;
  }
  return out;
}
