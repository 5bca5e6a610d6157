import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import type { Invocation } from '@llmops/contracts';
import { MetricsServer } from '@llmops/observability';
import type { Period, PriceTableEntry, UsageRow } from '@llmops/pricing';
import { uniqueName } from '@llmops/testing';
import { AccountantHarness, TEST_PRICES, invocation } from './accountant-harness';

const DAY_MS = 86_400_000;
const NOW = Date.now();
const TODAY = Math.floor(NOW / DAY_MS) * DAY_MS;
const y = new Date(NOW).getUTCFullYear();
const m = new Date(NOW).getUTCMonth();
const MONTH_START = Date.UTC(y, m, 1);
// A price change on the 15th: of this month once it is past, else of the last one. Either
// way both sides are in one calendar month and within the 40 days day counters are kept.
const CHANGE =
  (new Date(NOW).getUTCDate() >= 16 ? MONTH_START : Date.UTC(y, m - 1, 1)) + 14 * DAY_MS;
const CHANGE_DAY = new Date(CHANGE).toISOString().slice(0, 10);

const PRICES: PriceTableEntry[] = [
  ...TEST_PRICES,
  {
    provider: 'acme-ai',
    model: 'm-shift',
    versions: [
      // Odd micro-dollar digits, so an off-by-one anywhere shows.
      { from: '2020-01-01', input: '3.000001', cached_input: '0.300001', output: '15.000007' },
      { from: CHANGE_DAY, input: '2.50', cached_input: '0.25', output: '10.000003' },
    ],
  },
  // Priced only from the change day: earlier invocations of it have no price.
  {
    provider: 'acme-ai',
    model: 'm-late',
    versions: [{ from: CHANGE_DAY, input: '1', output: '2' }],
  },
];

/** The window an instant falls in, by string slicing of its ISO form: independent of windowOf. */
function label(period: Exclude<Period, 'minute'>, ms: number): string {
  const iso = new Date(ms).toISOString();
  return { hour: `${iso.slice(0, 13)}Z`, day: iso.slice(0, 10), month: iso.slice(0, 7) }[period];
}

const usage = (input: number, output: number, cached = 0) => ({
  cache_creation_input_tokens: 0,
  input_tokens: input,
  output_tokens: output,
  cached_input_tokens: cached,
  reasoning_tokens: 0,
});

describe('token-accountant window and price boundaries', () => {
  const h = new AccountantHarness();
  const priceFile = path.join(tmpdir(), `${uniqueName('boundary-prices')}.json`);
  const ev = (tenant: string, id: string, at: number, fields: Partial<Invocation> = {}) =>
    invocation({ event_id: `${tenant}-${id}`, tenant_id: tenant, start_time_ms: at, ...fields });

  /** The tenant's total in the window holding `at`, checking the window's label on the way. */
  async function total(
    tenant: string,
    period: Exclude<Period, 'minute'>,
    at: number,
  ): Promise<UsageRow> {
    const report = await h.reader.usage(tenant, 'tenant', period, at);
    expect(report.window.label).toBe(label(period, at));
    return report.total;
  }

  let accountant: INestApplicationContext;

  beforeAll(async () => {
    await h.setup();
    writeFileSync(priceFile, JSON.stringify(PRICES));
    const events = [
      // Last millisecond of yesterday, first millisecond of today (UTC).
      ev('day-edge', 'before', TODAY - 1, { usage: usage(100, 10) }),
      ev('day-edge', 'after', TODAY, { usage: usage(1_000, 100) }),
      // Last millisecond of last month, first of this month.
      ev('month-edge', 'before', MONTH_START - 1, { usage: usage(200, 20) }),
      ev('month-edge', 'after', MONTH_START, { usage: usage(2_000, 200) }),
      // The same usage either side of the price change.
      ...[CHANGE - 1, CHANGE].map((at, i) =>
        ev('price-edge', `shift-${i}`, at, {
          request_model: 'm-shift',
          usage: usage(1_234_567, 76_543, 34_567),
        }),
      ),
      // A model nobody prices, a priced one beside it, and a model before its first price.
      ev('unpriced', 'mystery', NOW - 60_000, {
        request_model: 'm-nobody-prices',
        usage: usage(5_000, 700, 1_000),
      }),
      ev('unpriced', 'priced', NOW - 60_000, {
        request_model: 'm-small',
        usage: usage(1_000, 100),
      }),
      ev('unpriced', 'late-before', CHANGE - 1, { request_model: 'm-late', usage: usage(10, 10) }),
      ev('unpriced', 'late-after', CHANGE, { request_model: 'm-late', usage: usage(10, 10) }),
    ];
    accountant = await h.startAccountant({ PRICING_FILE: priceFile, METRICS_PORT: '0' });
    await h.produce(events);
    await h.waitCaughtUp();
  });
  afterAll(() => h.close());

  it('counts an invocation at 23:59:59.999 UTC in that day and one at 00:00:00.000 in the next', async () => {
    const before = await total('day-edge', 'day', TODAY - 1);
    const after = await total('day-edge', 'day', TODAY);
    expect([before.requests, before.total_tokens]).toEqual([1, 110]);
    expect([after.requests, after.total_tokens]).toEqual([1, 1_100]);
    const lastHour = await total('day-edge', 'hour', TODAY - 1);
    const firstHour = await total('day-edge', 'hour', TODAY);
    expect([lastHour.requests, lastHour.total_tokens]).toEqual([1, 110]);
    expect([firstHour.requests, firstHour.total_tokens]).toEqual([1, 1_100]);
    // Both in one month, unless today is the 1st.
    const sameMonth = label('month', TODAY - 1) === label('month', TODAY);
    expect((await total('day-edge', 'month', TODAY)).total_tokens).toBe(sameMonth ? 1_210 : 1_100);
  });

  it('counts the last millisecond of a month in that month and the first in the next, by day too', async () => {
    const lastMonth = await total('month-edge', 'month', MONTH_START - 1);
    const thisMonth = await total('month-edge', 'month', MONTH_START);
    expect([lastMonth.requests, lastMonth.total_tokens]).toEqual([1, 220]);
    expect([thisMonth.requests, thisMonth.total_tokens]).toEqual([1, 2_200]);
    expect((await total('month-edge', 'day', MONTH_START - 1)).total_tokens).toBe(220);
    expect((await total('month-edge', 'day', MONTH_START)).total_tokens).toBe(2_200);
    expect((await h.reader.usage('month-edge', 'tenant', 'month', MONTH_START - 1)).window).toEqual(
      {
        period: 'month',
        label: label('month', MONTH_START - 1),
        start_ms: Date.UTC(y, m - 1, 1),
        end_ms: MONTH_START,
      },
    );
  });

  it('prices the same usage by the old price before a mid-month change and by the new one from its first millisecond, to the picodollar', async () => {
    // 1,200,000 uncached × 3.000001 + 34,567 cached × 0.300001 + 76,543 out × 15.000007 µ$/M
    const old = 4_758_516_870_368n;
    // 1,200,000 × 2.50 + 34,567 × 0.25 + 76,543 × 10.000003 µ$/M
    const current = 3_774_071_979_629n;
    expect(1_200_000n * 3_000_001n + 34_567n * 300_001n + 76_543n * 15_000_007n).toBe(old);
    expect(1_200_000n * 2_500_000n + 34_567n * 250_000n + 76_543n * 10_000_003n).toBe(current);

    const dayBefore = await total('price-edge', 'day', CHANGE - 1);
    const dayOf = await total('price-edge', 'day', CHANGE);
    expect([dayBefore.cost_pico_usd, dayBefore.cost_usd]).toEqual([String(old), '4.758516870368']);
    expect([dayOf.cost_pico_usd, dayOf.cost_usd]).toEqual([String(current), '3.774071979629']);
    const month = await total('price-edge', 'month', CHANGE);
    expect(month.cost_pico_usd).toBe(String(old + current));
    expect(month.cost_usd).toBe('8.532588849997');
    expect(month.unpriced_requests).toBe(0);
  });

  it('counts a model without a price in tokens, at zero cost, flagged unpriced', async () => {
    const byModel = await h.reader.usage('unpriced', 'model', 'month', NOW - 60_000);
    const mystery = byModel.groups.find((g) => g.key === 'm-nobody-prices');
    expect(mystery).toMatchObject({
      requests: 1,
      input_tokens: 5_000,
      cached_input_tokens: 1_000,
      output_tokens: 700,
      total_tokens: 5_700,
      unpriced_requests: 1,
      cost_pico_usd: '0',
      cost_usd: '0',
    });
    // m-small: 1,000 × 0.15 + 100 × 0.60 µ$/M = 210,000,000 picodollars; the tenant pays only that.
    const today = await total('unpriced', 'day', NOW - 60_000);
    expect(today).toMatchObject({ requests: 2, total_tokens: 6_800, unpriced_requests: 1 });
    expect(today.cost_pico_usd).toBe('210000000');

    // A priced model is unpriced before its first price applies, and priced from that day on.
    const lateBefore = await total('unpriced', 'day', CHANGE - 1);
    const lateAfter = await total('unpriced', 'day', CHANGE);
    expect([
      lateBefore.unpriced_requests,
      lateBefore.total_tokens,
      lateBefore.cost_pico_usd,
    ]).toEqual([1, 20, '0']);
    // 10 × 1 + 10 × 2 µ$/M = 30,000,000 picodollars
    expect([lateAfter.unpriced_requests, lateAfter.total_tokens, lateAfter.cost_pico_usd]).toEqual([
      0,
      20,
      '30000000',
    ]);
  });

  it('reports unpriced models and consumed records on its /metrics endpoint', async () => {
    const port = accountant.get(MetricsServer).port;
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    const value = (name: string, labels: string[]) =>
      text
        .split('\n')
        .filter((l) => l.startsWith(`${name}{`) && labels.every((x) => l.includes(x)))
        .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    // m-nobody-prices once, m-late once before its first price.
    expect(value('llmops_accountant_unpriced_events_total', ['model="m-nobody-prices"'])).toBe(1);
    expect(value('llmops_accountant_unpriced_events_total', ['model="m-late"'])).toBe(1);
    expect(
      value('llmops_consumer_records_total', [
        `group="${h.groupId}"`,
        'outcome="ok"',
        'service="token-accountant"',
      ]),
    ).toBe(10);
  });
});
