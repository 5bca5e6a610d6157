import type { Budget } from '@llmops/contracts';
import { PICO_PER_MICRO, microToUsd, picoToUsd, type BudgetState } from '@llmops/pricing';

/** What a state view needs from a budget that does not change until the budget does. */
interface Fixed {
  limit: string | number;
  /** The limit in the counter's unit (tokens, or picodollars), for the percentage. */
  limitInCounterUnit: bigint;
  hardLimit: string | number | null;
  /** The last window end seen and its ISO form: windows change once a day or month. */
  resetsAtMs: number;
  resetsAt: string;
}

// Budget records are immutable (an update stores a new record), so a record is
// its own cache key; the pre-flight check then allocates only what varies.
const fixedParts = new WeakMap<Budget, Fixed>();

function fixedOf(s: BudgetState): Fixed {
  const b = s.budget;
  let f = fixedParts.get(b);
  if (!f) {
    const usd = b.unit === 'usd';
    f = {
      limit: usd ? microToUsd(BigInt(b.limit)) : b.limit,
      limitInCounterUnit: usd ? BigInt(b.limit) * PICO_PER_MICRO : BigInt(b.limit),
      hardLimit:
        s.hardValue === undefined ? null : usd ? picoToUsd(s.hardValue) : Number(s.hardValue),
      resetsAtMs: NaN,
      resetsAt: '',
    };
    fixedParts.set(b, f);
  }
  if (f.resetsAtMs !== s.window.endMs) {
    f.resetsAtMs = s.window.endMs;
    f.resetsAt = new Date(s.window.endMs).toISOString();
  }
  return f;
}

/**
 * Where a budget stands in its current window: what the pre-flight check
 * answers for each budget that applies (its definition is `GET /v1/budgets/:id`).
 */
export function budgetStateView(s: BudgetState) {
  const b = s.budget;
  const f = fixedOf(s);
  return {
    budget_id: b.budget_id,
    scope: b.scope,
    scope_value: b.scope_value,
    period: b.period,
    window: s.window.label,
    unit: b.unit,
    limit: f.limit,
    used: b.unit === 'usd' ? picoToUsd(s.used) : Number(s.used),
    used_pct: Number((s.used * 10_000n) / f.limitInCounterUnit) / 100,
    hard_limit: f.hardLimit,
    exceeded: s.exceeded,
    resets_at: f.resetsAt,
  };
}
