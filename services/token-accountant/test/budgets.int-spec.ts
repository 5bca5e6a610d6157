import { randomBytes } from 'node:crypto';
import { budgetEventCodec, securityEventCodec, type BudgetEvent } from '@llmops/contracts';
import { readMessages } from '@llmops/testing';
import { AccountantHarness, invocation } from './accountant-harness';

async function topicCount(h: AccountantHarness, topic: string): Promise<number> {
  const admin = h.kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
  } finally {
    await admin.disconnect();
  }
}

describe('token-accountant budgets', () => {
  const h = new AccountantHarness();
  beforeAll(() => h.setup());
  afterAll(() => h.close());

  it('emits exactly one budget event per threshold and one breach when two replicas race over one budget', async () => {
    await h.budgets.create('acme', {
      budget_id: 'daily-tokens',
      name: 'acme daily tokens',
      scope: 'tenant',
      period: 'day',
      unit: 'tokens',
      limit: 100_000,
    });
    await h.budgets.create('acme', {
      budget_id: 'bot-usd',
      scope: 'app',
      scope_value: 'support-bot',
      period: 'month',
      unit: 'usd',
      limit: '0.03',
      thresholds_pct: [25, 50],
      hard_limit_pct: 90,
    });
    await Promise.all([h.startAccountant(), h.startAccountant()]);
    const now = Date.now() - 5_000;
    // 2,000 events × 100 tokens = 200 % of the token budget, spread over every partition.
    const events = Array.from({ length: 2_000 }, (_, i) =>
      invocation({
        event_id: `race-${i}`,
        tenant_id: 'acme',
        app_id: i % 2 === 0 ? 'support-bot' : 'search',
        trace_id: randomBytes(16).toString('hex'),
        start_time_ms: now,
        // m-small: 60 in × 0.15 + 40 out × 0.60 = 33 µ$ per event
        usage: {
          input_tokens: 60,
          output_tokens: 40,
          cached_input_tokens: 0,
          reasoning_tokens: 0,
          cache_creation_input_tokens: 0,
        },
      }),
    );
    for (let i = 0; i < events.length; i += 200) await h.produce(events.slice(i, i + 200));
    await h.waitCaughtUp();

    // Token budget: 50 %, 80 % (soft), 100 % (hard); usd budget: 25 %, 50 % (soft), 90 % (hard).
    expect(await topicCount(h, h.topics.budgetEvents)).toBe(6);
    const records = (await readMessages(h.kafka, h.topics.budgetEvents, 6)).map((m) =>
      budgetEventCodec.decode(m.value!),
    );
    const by = (id: string) =>
      records
        .filter((r) => r.budget_id === id)
        .sort((a, b) => a.threshold_pct - b.threshold_pct)
        .map((r: BudgetEvent) => [r.threshold_pct, r.kind, r.threshold_value, r.window]);
    const day = new Date(now).toISOString().slice(0, 10);
    const month = day.slice(0, 7);
    expect(by('daily-tokens')).toEqual([
      [50, 'soft', 50_000, day],
      [80, 'soft', 80_000, day],
      [100, 'hard', 100_000, day],
    ]);
    expect(by('bot-usd')).toEqual([
      [25, 'soft', 7_500, month],
      [50, 'soft', 15_000, month],
      [90, 'hard', 27_000, month],
    ]);
    for (const r of records) {
      expect(r.observed).toBeGreaterThanOrEqual(r.threshold_value);
      expect(r.invocation_id).toMatch(/^race-/);
    }
    // The crossing of 50 % of the token budget is the 500th event counted: observed is exactly 50,000.
    expect(
      records.find((r) => r.budget_id === 'daily-tokens' && r.threshold_pct === 50)!.observed,
    ).toBe(50_000);

    expect(await topicCount(h, h.topics.securityEvents)).toBe(2);
    const breaches = (await readMessages(h.kafka, h.topics.securityEvents, 2)).map((m) =>
      securityEventCodec.decode(m.value!),
    );
    expect(breaches.map((b) => [b.category, b.budget?.budget_id, b.reporter]).sort()).toEqual([
      ['budget_limit_breach', 'bot-usd', 'token-accountant'],
      ['budget_limit_breach', 'daily-tokens', 'token-accountant'],
    ]);
    expect(new Set(breaches.map((b) => b.event_id)).size).toBe(2);
  });

  it('sends events with absurd or negative token counts to the DLQ and keeps counting the rest', async () => {
    const now = Date.now() - 5_000;
    const good = invocation({ event_id: 'fine-1', tenant_id: 'globex', start_time_ms: now });
    const absurd = invocation({
      event_id: 'absurd-1',
      tenant_id: 'globex',
      start_time_ms: now,
      usage: {
        input_tokens: 5e12,
        output_tokens: 1,
        cached_input_tokens: 0,
        reasoning_tokens: 0,
        cache_creation_input_tokens: 0,
      },
    });
    const negative = invocation({
      event_id: 'negative-1',
      tenant_id: 'globex',
      start_time_ms: now,
      usage: {
        input_tokens: -5,
        output_tokens: 1,
        cached_input_tokens: 0,
        reasoning_tokens: 0,
        cache_creation_input_tokens: 0,
      },
    });
    await h.produce([absurd, good, negative]);
    await h.produceRaw([Buffer.from('not avro')]);
    await h.waitCaughtUp();
    const dlq = await readMessages(h.kafka, `${h.topics.invocations}.dlq`, 3);
    expect(dlq.map((m) => m.headers['llmops-dlq-error']).sort()).toEqual([
      expect.stringMatching(/^invocation absurd-1: usage.input_tokens must be a whole number/),
      expect.stringMatching(/^invocation negative-1: usage.input_tokens must be a whole number/),
      expect.stringMatching(/not an Avro single-object encoded invocation/),
    ]);
    const usage = await h.reader.usage('globex', 'tenant', 'day', now);
    expect(usage.total.requests).toBe(1);
  });
});
