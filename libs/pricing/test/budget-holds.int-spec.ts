import { Redis } from 'ioredis';
import { testEndpoints, uniqueName } from '@llmops/testing';
import { BudgetHolds } from '../src/budget-holds';
import { buildBudget } from '../src/budgets';
import { UsageKeys } from '../src/keys';

/** Budget holds against the real Redis, at a fixed clock so that no test depends on when it runs. */
describe('BudgetHolds in Redis', () => {
  const redis = new Redis(testEndpoints().redisUrl);
  const prefix = `${uniqueName('t-hold')}:`;
  const holds = new BudgetHolds(redis, new UsageKeys(prefix));
  const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
  const usd = buildBudget(
    'acme',
    {
      budget_id: 'usd-day',
      scope: 'app',
      scope_value: 'bot',
      period: 'day',
      unit: 'usd',
      limit: '1.00',
    },
    NOW,
  );
  const tokens = buildBudget(
    'acme',
    { budget_id: 'tok-day', scope: 'tenant', period: 'day', unit: 'tokens', limit: 1_000 },
    NOW,
  );
  const subject = { app_id: 'bot', user_id: null, agent_id: null };
  const dollars = (d: number) => BigInt(Math.round(d * 1e6)) * 1_000_000n;

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.unlink(...keys);
    redis.disconnect();
  });

  it('holds each unit on its own budget, and refuses the call that would pass either', async () => {
    const take = (id: string, usdAmount: number, tok: number) =>
      holds.take(
        'acme',
        [usd, tokens],
        subject,
        { tokens: BigInt(tok), picoUsd: dollars(usdAmount) },
        id,
        60_000,
        NOW,
      );
    expect((await take('a', 0.6, 100)).allowed).toBe(true);
    const refusedUsd = await take('b', 0.5, 100);
    expect(refusedUsd).toMatchObject({
      allowed: false,
      denied: { budget: { budget_id: 'usd-day' } },
    });
    const refusedTok = await take('c', 0.1, 950);
    expect(refusedTok).toMatchObject({
      allowed: false,
      denied: { budget: { budget_id: 'tok-day' } },
    });
    expect((await take('d', 0.3, 800)).allowed).toBe(true);
  });

  it('lets a hold expire, and shrinks a settled one to what the call used', async () => {
    const b = buildBudget(
      'acme',
      { budget_id: 'tok-2', scope: 'tenant', period: 'day', unit: 'tokens', limit: 100 },
      NOW,
    );
    const take = (id: string, tok: number, at: number) =>
      holds.take('acme', [b], subject, { tokens: BigInt(tok), picoUsd: 0n }, id, 10_000, at);
    const first = await take('x', 90, NOW);
    expect(first.allowed).toBe(true);
    expect((await take('y', 20, NOW)).allowed).toBe(false);
    // The hold ends with its call: 5 tokens used, held a while longer.
    await holds.settle(
      (first as { hold: Parameters<typeof holds.settle>[0] }).hold,
      { tokens: 5n, picoUsd: 0n },
      10_000,
      NOW,
    );
    expect((await take('z', 95, NOW + 1)).allowed).toBe(true);
    // And past every expiry nothing is held any more.
    expect((await take('w', 100, NOW + 30_000)).allowed).toBe(true);
  });
});
