import type { Budget } from '@llmops/contracts';
import { PICO_PER_MICRO, microToUsd, picoToUsd, type BudgetState } from '@llmops/pricing';

/** A budget as the API shows it: USD amounts as exact decimal strings. */
export function budgetView(b: Budget) {
  return {
    budget_id: b.budget_id,
    name: b.name,
    scope: b.scope,
    scope_value: b.scope_value,
    period: b.period,
    unit: b.unit,
    limit: b.unit === 'usd' ? microToUsd(BigInt(b.limit)) : b.limit,
    thresholds_pct: b.thresholds_pct,
    hard_limit_pct: b.hard_limit_pct,
    revision: b.revision,
    created_at: new Date(b.created_at_ms).toISOString(),
    updated_at: new Date(b.updated_at_ms).toISOString(),
  };
}

/** Where a budget stands in its current window. */
export function budgetStateView(s: BudgetState) {
  const b = s.budget;
  const usd = b.unit === 'usd';
  const limit = usd ? BigInt(b.limit) * PICO_PER_MICRO : BigInt(b.limit);
  return {
    ...budgetView(b),
    window: s.window.label,
    used: usd ? picoToUsd(s.used) : Number(s.used),
    used_pct: Number((s.used * 10_000n) / limit) / 100,
    hard_limit:
      s.hardValue === undefined ? null : usd ? picoToUsd(s.hardValue) : Number(s.hardValue),
    exceeded: s.exceeded,
    resets_at: new Date(s.window.endMs).toISOString(),
  };
}
