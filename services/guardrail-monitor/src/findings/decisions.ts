import type { GuardrailDecision, Invocation } from '@llmops/contracts';
import type { GuardrailEngine } from '@llmops/guardrails';
import { invocationItems } from './invocation-items';

/** A decision on an invocation, and the tool it was made on (stage `tool_call`, detect mode). */
export interface LocatedDecision {
  readonly decision: GuardrailDecision;
  readonly toolName: string | null;
}

/**
 * The gateway's decisions as recorded on a call it proxied: it enforced them while the call ran,
 * so they are taken as they are, never evaluated again (the rules may have changed since).
 */
export function recordedDecisions(inv: Invocation): LocatedDecision[] {
  return onePerRule(inv.guardrails.map((decision) => ({ decision, toolName: null })));
}

/**
 * The decisions of `engine` on a call reported after the fact (event API, OTLP), in mode
 * `detect`: nothing was stopped. A rule decides once per stage of a call, as in the gateway;
 * where it fired on several items of a stage (two tool calls), the first violation is kept and
 * its detail says which item (`tool_calls[1]: tool delete_repo is not allowed`).
 */
export async function detectedDecisions(
  inv: Invocation,
  engine: GuardrailEngine,
): Promise<LocatedDecision[]> {
  const found: LocatedDecision[] = [];
  for (const { item, at, toolName } of invocationItems(inv)) {
    if (!engine.hasRules(item.stage)) continue;
    // evaluateAsync: webhook rules are asked too (a consumer can wait; each is bounded).
    for (const d of (await engine.evaluateAsync(item)).decisions) {
      found.push({
        decision: {
          ...d,
          mode: 'detect',
          detail: at !== undefined ? `${at}: ${d.detail ?? 'fired'}` : d.detail,
        },
        toolName: toolName ?? null,
      });
    }
  }
  return onePerRule(found);
}

/** A failed check that passed the call counts less than what a check found. */
const weight = (d: GuardrailDecision) => (d.outcome === 'error_passed' ? 0 : 1);

/** One decision per stage, rule and revision (the finding id's parts), the weightiest first come. */
function onePerRule(decisions: LocatedDecision[]): LocatedDecision[] {
  const kept = new Map<string, LocatedDecision>();
  for (const d of decisions) {
    const key = `${d.decision.stage}\u0000${d.decision.rule_id}\u0000${d.decision.rule_revision}`;
    const prev = kept.get(key);
    if (!prev || weight(d.decision) > weight(prev.decision)) kept.set(key, d);
  }
  return [...kept.values()];
}
