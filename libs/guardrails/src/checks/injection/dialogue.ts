import { COMPLIANT, MODEL_ROLES, OPEN_TURN, TURN } from './lexicon/raw';
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
  TURN.lastIndex = 0;
  let turns = 0;
  let model = 0;
  let first = -1;
  for (let m = TURN.exec(raw); m !== null && turns < 64; m = TURN.exec(raw)) {
    turns++;
    if (first === -1) first = m.index;
    if (MODEL_ROLES.has((m[1] ?? m[2] ?? '').toLowerCase())) model++;
  }
  if (turns < 3 || model === 0) return;
  let w = 0.3;
  if (OPEN_TURN.test(raw)) w += 0.2;
  COMPLIANT.lastIndex = 0;
  if (COMPLIANT.test(raw)) w += 0.15;
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
