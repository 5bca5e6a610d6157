import { budgetPoints, buildBudget } from './budgets';

describe('budgetPoints', () => {
  const base = buildBudget(
    'acme',
    { budget_id: 'b', scope: 'tenant', period: 'day', unit: 'usd', limit: '10.00' },
    Date.UTC(2026, 0, 1),
  );

  it('puts soft thresholds and the hard limit in counter units (picodollars), rounding up', () => {
    expect(budgetPoints(base).map((p) => [p.pct, p.kind, p.value])).toEqual([
      [50, 'soft', 5_000_000_000_000n],
      [80, 'soft', 8_000_000_000_000n],
      [100, 'hard', 10_000_000_000_000n],
    ]);
  });

  it('works a record out once, and a changed budget (a new record) out again', () => {
    expect(budgetPoints(base)).toBe(budgetPoints(base));
    expect(Object.isFrozen(budgetPoints(base)[0])).toBe(true);
    const raised = buildBudget('acme', { limit: '20.00', hard_limit_pct: 90 }, Date.now(), base);
    expect(budgetPoints(raised).map((p) => [p.pct, p.kind, p.value])).toEqual([
      [50, 'soft', 10_000_000_000_000n],
      [80, 'soft', 16_000_000_000_000n],
      [90, 'hard', 18_000_000_000_000n],
      [100, 'soft', 20_000_000_000_000n],
    ]);
    expect(budgetPoints(base)[2]!.value).toBe(10_000_000_000_000n);
  });
});
