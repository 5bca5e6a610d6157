import type { GuardrailDecision, GuardrailMode, GuardrailStage } from '@llmops/contracts';
import { checkInput, type CheckInput, type Violation } from './checks/check';
import type { WebhookOptions } from './checks/webhook';
import { compileRules, type CompiledRule } from './compile-rules';
import { GuardrailError } from './errors';
import {
  segmentsOf,
  type GuardrailItem,
  type GuardrailRedaction,
  type GuardrailResult,
} from './item';
import type { Check, CheckType, Rule } from './rule-schema';

export interface GuardrailEngineOptions {
  /**
   * What the decisions' `mode` says: `enforce` in the gateway (decided before the client got
   * the answer), `detect` in a monitor that looks at calls afterwards.
   * @default 'enforce'
   */
  readonly mode?: GuardrailMode;
  /** How webhook rules find their secrets and reach their endpoints. */
  readonly webhooks?: WebhookOptions;
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
  /** The check types of each stage's rules, nested ones included (`any`: of every stage). */
  private readonly checkTypes = new Map<GuardrailStage | 'any', Set<CheckType>>();
  private readonly mode: GuardrailMode;

  /** @throws GuardrailConfigError when a rule is invalid (every problem listed). */
  constructor(rules: readonly Rule[], options: GuardrailEngineOptions = {}) {
    this.mode = options.mode ?? 'enforce';
    const { compiled } = compileRules({ rules }, 'GuardrailEngine', options.webhooks);
    for (const rule of compiled) {
      const list = this.byStage.get(rule.rule.stage) ?? [];
      list.push(rule);
      this.byStage.set(rule.rule.stage, list);
      for (const key of [rule.rule.stage, 'any'] as const) {
        let types = this.checkTypes.get(key);
        if (!types) this.checkTypes.set(key, (types = new Set()));
        addCheckTypes(rule.rule.check, types);
      }
    }
  }

  /**
   * Whether a rule of `stage` (any stage when omitted) has a check of `type`, nested ones
   * included: a caller gathers what such a check needs (a canary for `leakage`, the tool history
   * for `tool_limits`) only when one is there.
   */
  uses(type: CheckType, stage?: GuardrailStage): boolean {
    return this.checkTypes.get(stage ?? 'any')?.has(type) ?? false;
  }

  /** Whether any rule is set for `stage` (so a caller can skip building an item). */
  hasRules(stage: GuardrailStage): boolean {
    return this.byStage.has(stage);
  }

  /** Whether a rule of `stage` waits on something (a webhook): such rules need `evaluateAsync`. */
  hasAsync(stage: GuardrailStage): boolean {
    return this.byStage.get(stage)?.some((r) => r.check.runAsync !== undefined) ?? false;
  }

  /**
   * The decisions of the item's rules. `observe` is told how long each rule that ran took
   * (whether it fired or not), for `guardrails eval` and benchmarks. A rule that waits on
   * something (a webhook) cannot decide here: it fails, and its `on_error` says what that does
   * (`evaluateAsync` runs it), unless `skipAsync` leaves such rules out (for a caller that asks
   * them later, with `evaluateAsync`).
   */
  evaluate(
    item: GuardrailItem,
    observe?: Observer,
    options: { skipAsync?: boolean } = {},
  ): GuardrailResult {
    const rules = this.byStage.get(item.stage);
    if (rules === undefined) return { flagged: false, blocked: false, decisions: [] };
    const input = this.inputOf(item);
    const verdicts: Verdict[] = [];
    for (const compiled of rules) {
      if (!compiled.inScope(item.context)) continue;
      if (options.skipAsync && compiled.check.runAsync !== undefined) continue;
      verdicts.push(runSync(compiled, input, observe));
    }
    return this.result(verdicts);
  }

  /**
   * As `evaluate`, and the rules that wait (webhooks) are run too, all at once, each bounded by
   * its own `timeout_ms` (a webhook that does not answer in time has failed, and its
   * `on_error` decides). Decisions keep the rules' order.
   */
  async evaluateAsync(item: GuardrailItem, observe?: Observer): Promise<GuardrailResult> {
    const rules = this.byStage.get(item.stage);
    if (rules === undefined) return { flagged: false, blocked: false, decisions: [] };
    const input = this.inputOf(item);
    const pending: Array<Promise<Verdict>> = [];
    for (const compiled of rules) {
      if (!compiled.inScope(item.context)) continue;
      pending.push(
        compiled.check.runAsync
          ? runAsync(compiled, input, observe)
          : Promise.resolve(runSync(compiled, input, observe)),
      );
    }
    return this.result(await Promise.all(pending));
  }

  private inputOf(item: GuardrailItem): CheckInput {
    const segments = segmentsOf(item);
    return checkInput(
      segments.length > 0 ? segments : [{ name: 'text', text: '' }],
      item.tool_call,
      item.context.agent_id,
      item,
    );
  }

  private result(verdicts: readonly Verdict[]): GuardrailResult {
    const decisions: GuardrailDecision[] = [];
    let redactions: GuardrailRedaction[] | undefined;
    let blocked = false;
    for (const { rule, violation, failure, ms } of verdicts) {
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

type Observer = (rule: Rule, ms: number) => void;

function addCheckTypes(check: Check, types: Set<CheckType>): void {
  types.add(check.type);
  if (check.type === 'all' || check.type === 'any')
    for (const c of check.checks) addCheckTypes(c, types);
  else if (check.type === 'not') addCheckTypes(check.check, types);
}

/** What one rule found on one item: a violation, a failure (why it could not decide), or neither. */
interface Verdict {
  readonly rule: Rule;
  readonly violation: Violation | null;
  readonly failure: string | null;
  readonly ms: number;
}

function runSync(compiled: CompiledRule, input: CheckInput, observe?: Observer): Verdict {
  const { rule } = compiled;
  let violation: Violation | null = null;
  let failure: string | null = null;
  const t0 = performance.now();
  try {
    violation = compiled.check.run(input, rule.action === 'redact');
  } catch (err) {
    failure = `check failed: ${describeError(err)}`;
  }
  const ms = performance.now() - t0;
  observe?.(rule, ms);
  if (violation === null && failure === null && ms > rule.timeout_ms)
    failure = `check took ${ms.toFixed(1)} ms, over timeout_ms ${rule.timeout_ms}`;
  return { rule, violation, failure, ms };
}

async function runAsync(
  compiled: CompiledRule,
  input: CheckInput,
  observe?: Observer,
): Promise<Verdict> {
  const { rule } = compiled;
  const t0 = performance.now();
  let violation: Violation | null = null;
  let failure: string | null = null;
  try {
    violation = await compiled.check.runAsync!(input, AbortSignal.timeout(rule.timeout_ms));
  } catch (err) {
    // AbortSignal.timeout's reason is a DOMException, not always `instanceof Error` (realms).
    const timedOut = (err as { name?: unknown } | null)?.name === 'TimeoutError';
    failure = timedOut
      ? `no answer within timeout_ms ${rule.timeout_ms}`
      : `check failed: ${describeError(err)}`;
  }
  const ms = performance.now() - t0;
  observe?.(rule, ms);
  return { rule, violation, failure, ms };
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
