import type { Invocation } from '@llmops/contracts';
import type { Dimension, Period } from '@llmops/pricing';
import { AccountantHarness, PRICE_CHANGE_DAY, invocation, prng } from './accountant-harness';

/** The test's own price arithmetic: micro-dollars per million tokens = picodollars per token. */
const PRICES: Record<
  string,
  Array<{ from: number; in: bigint; cin: bigint; out: bigint; rsn: bigint }>
> = {
  'm-small': [{ from: 0, in: 150_000n, cin: 75_000n, out: 600_000n, rsn: 600_000n }],
  'm-large': [
    { from: 0, in: 3_000_000n, cin: 300_000n, out: 15_000_000n, rsn: 15_000_000n },
    {
      from: Date.parse(`${PRICE_CHANGE_DAY}T00:00:00Z`),
      in: 2_500_000n,
      cin: 250_000n,
      out: 10_000_000n,
      rsn: 10_000_000n,
    },
  ],
  'm-reason': [{ from: 0, in: 1_100_000n, cin: 275_000n, out: 4_400_000n, rsn: 5_500_000n }],
  // Built-in table, matched by the response model's prefix.
  'gpt-4o-mini': [{ from: 0, in: 150_000n, cin: 75_000n, out: 600_000n, rsn: 600_000n }],
};
const MODELS = ['m-small', 'm-large', 'm-reason', 'gpt-4o-mini', 'm-mystery'];
const TENANTS = ['acme', 'globex', 'initech'];
// Two minute windows, the last two complete minutes: counters are kept for a time
// after their window ends (2 h for minutes), so the test works near now.
const T2 = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
const T1 = T2 - 60_000;
const PERIODS: Period[] = ['minute', 'hour', 'day', 'month'];
const DIMS: Dimension[] = ['tenant', 'app', 'user', 'agent', 'model'];

interface Sums {
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  reasoning_tokens: number;
  total_tokens: number;
  errors: number;
  unpriced_requests: number;
  cost_pico_usd: bigint;
}

function costOf(e: Invocation): bigint | undefined {
  const p = [...(PRICES[e.request_model] ?? [])].reverse().find((v) => v.from <= e.start_time_ms);
  if (!p) return undefined;
  const u = e.usage;
  return (
    BigInt(u.input_tokens - u.cached_input_tokens) * p.in +
    BigInt(u.cached_input_tokens) * p.cin +
    BigInt(u.output_tokens - u.reasoning_tokens) * p.out +
    BigInt(u.reasoning_tokens) * p.rsn
  );
}

function windowId(period: Period, ms: number): string {
  if (period === 'month') return new Date(ms).toISOString().slice(0, 7);
  const size = { minute: 60_000, hour: 3_600_000, day: 86_400_000 }[period];
  return String(Math.floor(ms / size));
}

function makeEvents(count: number, seed: number, idPrefix: string): Invocation[] {
  const rnd = prng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  return Array.from({ length: count }, (_, i) => {
    const model = pick(MODELS);
    const input = Math.floor(rnd() * 5_000);
    const output = Math.floor(rnd() * 2_000);
    const start = (rnd() < 0.5 ? T1 : T2) + Math.floor(rnd() * 60_000);
    return invocation({
      event_id: `${idPrefix}-${i}`,
      tenant_id: pick(TENANTS),
      app_id: pick(['support-bot', 'search', 'code:review']),
      user_id: pick([null, 'u-1', 'u-2', 'jane@example.com']),
      agent_id: pick([null, 'planner', 'writer']),
      provider_name: model === 'gpt-4o-mini' ? 'openai' : 'acme-ai',
      request_model: model,
      response_model: model === 'gpt-4o-mini' ? 'gpt-4o-mini-2024-07-18' : null,
      start_time_ms: start,
      status: rnd() < 0.05 ? 'error' : 'ok',
      usage: {
        input_tokens: input,
        output_tokens: output,
        cached_input_tokens: rnd() < 0.3 ? Math.floor(input / 2) : 0,
        reasoning_tokens: model === 'm-reason' ? Math.floor(output / 3) : 0,
        cache_creation_input_tokens: 0,
      },
    });
  });
}

/** Expected counters, computed from the events alone: tenant|dim|value|period|window → sums. */
function expectedSums(events: Invocation[]): Map<string, Sums> {
  const out = new Map<string, Sums>();
  for (const e of events) {
    const cost = costOf(e);
    const values: Record<Dimension, string | null> = {
      tenant: e.tenant_id,
      app: e.app_id,
      user: e.user_id,
      agent: e.agent_id,
      model: e.request_model,
    };
    for (const dim of DIMS) {
      const v = values[dim];
      if (v === null) continue;
      for (const period of PERIODS) {
        const k = `${e.tenant_id}|${dim}|${v}|${period}|${windowId(period, e.start_time_ms)}`;
        const s = out.get(k) ?? {
          requests: 0,
          input_tokens: 0,
          output_tokens: 0,
          cached_input_tokens: 0,
          reasoning_tokens: 0,
          total_tokens: 0,
          errors: 0,
          unpriced_requests: 0,
          cost_pico_usd: 0n,
        };
        s.requests++;
        s.input_tokens += e.usage.input_tokens;
        s.output_tokens += e.usage.output_tokens;
        s.cached_input_tokens += e.usage.cached_input_tokens;
        s.reasoning_tokens += e.usage.reasoning_tokens;
        s.total_tokens += e.usage.input_tokens + e.usage.output_tokens;
        s.errors += e.status === 'error' ? 1 : 0;
        s.unpriced_requests += cost === undefined ? 1 : 0;
        s.cost_pico_usd += cost ?? 0n;
        out.set(k, s);
      }
    }
  }
  return out;
}

/** Every counter in Redis, read through the usage reader, in the same shape. */
async function actualSums(h: AccountantHarness): Promise<Map<string, Sums>> {
  const out = new Map<string, Sums>();
  for (const tenant of TENANTS) {
    for (const dim of DIMS) {
      for (const period of PERIODS) {
        const ats = windowId(period, T1) === windowId(period, T2) ? [T1] : [T1, T2];
        for (const at of ats) {
          const report = await h.reader.usage(tenant, dim, period, at);
          for (const g of report.groups) {
            const { key, cost_usd: _usd, cost_pico_usd, ...rest } = g;
            out.set(`${tenant}|${dim}|${key}|${period}|${windowId(period, at)}`, {
              ...rest,
              cost_pico_usd: BigInt(cost_pico_usd),
            });
          }
        }
      }
    }
  }
  return out;
}

async function totalRequests(h: AccountantHarness): Promise<number> {
  let n = 0;
  for (const t of TENANTS) {
    for (const at of [T1, T2])
      n += (await h.reader.usage(t, 'tenant', 'minute', at)).total.requests;
  }
  return n;
}

describe('token-accountant counters', () => {
  const h = new AccountantHarness();
  const events = makeEvents(10_000, 42, 'evt');
  const expected = expectedSums(events);

  beforeAll(() => h.setup());
  afterAll(() => h.close());

  it('counts 10,000 invocations across 3 tenants, 5 models and 2 minute windows exactly, cost to the picodollar', async () => {
    await h.startAccountant();
    await h.produce(events);
    await h.waitCaughtUp();
    const actual = await actualSums(h);
    expect(actual.size).toBe(expected.size);
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
    // The mystery model is counted in tokens, priced at zero and reported unpriced.
    const mystery = actual.get(`acme|model|m-mystery|month|${windowId('month', T1)}`)!;
    expect(mystery.requests).toBeGreaterThan(0);
    expect(mystery.unpriced_requests).toBe(mystery.requests);
    expect(mystery.cost_pico_usd).toBe(0n);
    expect(mystery.total_tokens).toBeGreaterThan(0);
  });

  it('keeps every counter unchanged when the same 10,000 invocations are delivered again', async () => {
    await h.produce([...events].reverse());
    await h.waitCaughtUp();
    expect(Object.fromEntries(await actualSums(h))).toEqual(Object.fromEntries(expected));
  });

  it('counts a batch once when the accountant is killed after counting it and before committing', async () => {
    await h.stopAccountants();
    const more = makeEvents(2_000, 7, 'crash');
    await h.produce(more);
    const crashed = await h.runCrashingAccountant();
    expect(crashed.signal).toBe('SIGKILL');
    expect(crashed.stdout).toMatch(/counted \d+/);
    // The killed batch is in Redis but its offsets were never committed: it comes again.
    expect(await totalRequests(h)).toBeGreaterThan(10_000);
    await h.startAccountant();
    await h.waitCaughtUp();
    expect(Object.fromEntries(await actualSums(h))).toEqual(
      Object.fromEntries(expectedSums([...events, ...more])),
    );
  });

  it('keeps no prompt text in Redis and gives every key a TTL', async () => {
    let cursor = '0';
    let checked = 0;
    do {
      const [next, keys] = await h.redis.scan(cursor, 'MATCH', `${h.prefix}*`, 'COUNT', 1000);
      cursor = next;
      for (const k of keys.slice(0, 50)) {
        expect(await h.redis.ttl(k)).toBeGreaterThan(0);
        checked++;
      }
      for (const k of keys) expect(k).not.toMatch(/jane\.doe|Write to/);
    } while (cursor !== '0');
    expect(checked).toBeGreaterThan(0);
  });
});
