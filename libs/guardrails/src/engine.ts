import type { GuardrailDecision, GuardrailMode, GuardrailStage } from '@llmops/contracts';
import { checkInput, type Violation } from './checks/check';
import { compileRules, type CompiledRule } from './compile-rules';
import { GuardrailError } from './errors';
import {
  segmentsOf,
  type GuardrailItem,
  type GuardrailRedaction,
  type GuardrailResult,
} from './item';
import type { Rule } from './rule-schema';

export interface GuardrailEngineOptions {
  /**
   * What the decisions' `mode` says: `enforce` in the gateway (decided before the client got
   * the answer), `detect` in a monitor that looks at calls afterwards.
   * @default 'enforce'
   */
  readonly mode?: GuardrailMode;
}

/**
 * Evaluates rules on an item, synchronously and in process. Everything is compiled when the
 * engine is built (patterns, schemas, phrase tries, scopes); `evaluate` only runs the rules of
 * the item's stage whose scope matches its context, in rule order, and keeps a decision for
 * each one that fired or failed. Build one engine per rule set and share it; a new rule set is
 * a new engine.
 *
 * Time limits: checks are synchronous, so a check cannot be interrupted; its time is measured
 * (performance.now) and a check that passed but took longer than the rule's `timeout_ms` is
 * reported as failed, after the fact, and the rule's `on_error` decides (`fail_closed`:
 * `error_blocked`; `fail_open`: `error_passed`). A slow check that found a violation reports
 * the violation: what it found is true however long it took. The patterns that could run away
 * (catastrophic backtracking) are refused when the rules are loaded, which is what keeps a
 * check's time bounded in the first place. A check that throws is failed the same way.
 */
export class GuardrailEngine {
  private readonly byStage = new Map<GuardrailStage, CompiledRule[]>();
  private readonly mode: GuardrailMode;

  /** @throws GuardrailConfigError when a rule is invalid (every problem listed). */
  constructor(rules: readonly Rule[], options: GuardrailEngineOptions = {}) {
    this.mode = options.mode ?? 'enforce';
    const { compiled } = compileRules({ rules }, 'GuardrailEngine');
    for (const rule of compiled) {
      const list = this.byStage.get(rule.rule.stage) ?? [];
      list.push(rule);
      this.byStage.set(rule.rule.stage, list);
    }
  }

  /** Whether any rule is set for `stage` (so a caller can skip building an item). */
  hasRules(stage: GuardrailStage): boolean {
    return this.byStage.has(stage);
  }

  /**
   * The decisions of the item's rules. `observe` is told how long each rule that ran took
   * (whether it fired or not), for `guardrails eval` and benchmarks.
   */
  evaluate(item: GuardrailItem, observe?: (rule: Rule, ms: number) => void): GuardrailResult {
    const rules = this.byStage.get(item.stage);
    if (rules === undefined) return { flagged: false, blocked: false, decisions: [] };
    const segments = segmentsOf(item);
    const input = checkInput(
      segments.length > 0 ? segments : [{ name: 'text', text: '' }],
      item.tool_call,
      item.context.agent_id,
    );
    const decisions: GuardrailDecision[] = [];
    let redactions: GuardrailRedaction[] | undefined;
    let blocked = false;
    for (const compiled of rules) {
      if (!compiled.inScope(item.context)) continue;
      const { rule } = compiled;
      const redact = rule.action === 'redact';
      let violation: Violation | null = null;
      let failure: string | null = null;
      const t0 = performance.now();
      try {
        violation = compiled.check.run(input, redact);
      } catch (err) {
        failure = `check failed: ${describeError(err)}`;
      }
      const ms = performance.now() - t0;
      observe?.(rule, ms);
      if (violation === null && failure === null && ms > rule.timeout_ms)
        failure = `check took ${ms.toFixed(1)} ms, over timeout_ms ${rule.timeout_ms}`;
      if (violation === null && failure === null) continue;

      const outcome =
        violation !== null
          ? 'violated'
          : rule.on_error === 'fail_closed'
            ? 'error_blocked'
            : 'error_passed';
      if (outcome === 'error_blocked' || (outcome === 'violated' && rule.action === 'block'))
        blocked = true;
      if (violation?.spans && violation.spans.length > 0) {
        redactions ??= [];
        for (const s of violation.spans) redactions.push({ rule_id: rule.id, ...s });
      }
      decisions.push({
        rule_id: rule.id,
        rule_revision: rule.revision,
        stage: rule.stage,
        action: rule.action,
        severity: rule.severity,
        outcome,
        mode: this.mode,
        detail: clip(violation?.detail ?? failure),
        duration_us: Math.round(ms * 1000),
      });
    }
    const result: GuardrailResult = { flagged: decisions.length > 0, blocked, decisions };
    return redactions ? { ...result, redactions } : result;
  }
}

/** Our own errors say what failed without the text; of any other, only its class is safe. */
function describeError(err: unknown): string {
  if (err instanceof GuardrailError) return err.message;
  return err instanceof Error ? err.name : typeof err;
}

const MAX_DETAIL = 300;

function clip(detail: string | null): string | null {
  return detail !== null && detail.length > MAX_DETAIL
    ? `${detail.slice(0, MAX_DETAIL - 1)}…`
    : detail;
}
