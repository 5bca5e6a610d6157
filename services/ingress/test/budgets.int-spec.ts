import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { invocationCodec } from '@llmops/contracts';
import {
  BudgetStore,
  COUNT_SCRIPT,
  LuaScript,
  UsageKeys,
  buildCountCalls,
  type CountableEvent,
} from '@llmops/pricing';
import { readMessages, testEndpoints, testKafka, uniqueName } from '@llmops/testing';
import { event, post, silent, startHarness, type IngressHarness } from './ingress-harness';

const count = new LuaScript(COUNT_SCRIPT);

async function call(url: string, key: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  const json: any = text ? JSON.parse(text) : undefined;
  return { status: res.status, json, headers: res.headers };
}

describe('budgets, pre-flight check and usage API', () => {
  let h: IngressHarness;
  let admin: string;
  let ingest: string;
  let query: string;
  const prefix = `${uniqueName('t')}:`;
  const redis = new Redis(testEndpoints().redisUrl);
  const keys = new UsageKeys(prefix);

  /** Counts usage the way the token-accountant does (same script). */
  async function countUsage(events: Array<Partial<CountableEvent>>) {
    const full = events.map((e, i) => ({
      event_id: uniqueName(`e${i}`),
      start_time_ms: Date.now(),
      app_id: 'support-bot',
      user_id: null,
      agent_id: null,
      model: 'gpt-4o',
      input_tokens: 0,
      output_tokens: 0,
      cached_input_tokens: 0,
      reasoning_tokens: 0,
      cost: 0n,
      error: false,
      unpriced: false,
      ...e,
    }));
    for (const c of buildCountCalls(keys, 'acme', full, [], 3_600)) {
      await count.run(redis, [c.tenantBase], c.args);
    }
  }

  beforeAll(async () => {
    h = await startHarness({ REDIS_URL: testEndpoints().redisUrl, REDIS_KEY_PREFIX: prefix });
    admin = await h.key('acme', ['admin']);
    ingest = await h.key('acme', ['ingest']);
    query = await h.key('acme', ['query']);
  });
  afterAll(async () => {
    await h.close();
    const found = await redis.keys(`${prefix}*`);
    if (found.length > 0) await redis.unlink(...found);
    redis.disconnect();
  });

  it('creates, lists and changes budgets with the admin scope only, validating every field', async () => {
    const created = await call(h.url, admin, 'POST', '/v1/budgets', {
      budget_id: 'bot-daily',
      scope: 'app',
      scope_value: 'support-bot',
      period: 'day',
      unit: 'tokens',
      limit: 1_000,
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      budget_id: 'bot-daily',
      thresholds_pct: [50, 80, 100],
      hard_limit_pct: 100,
      revision: 1,
    });
    const bad = await call(h.url, admin, 'POST', '/v1/budgets', {
      scope: 'team',
      period: 'week',
      unit: 'usd',
      limit: '1.2345678',
    });
    expect(bad.status).toBe(400);
    expect((bad.json.error.details as Array<{ path: string }>).map((d) => d.path).sort()).toEqual([
      'limit',
      'period',
      'scope',
    ]);
    expect((await call(h.url, ingest, 'POST', '/v1/budgets', {})).status).toBe(403);
    expect((await call(h.url, admin, 'POST', '/v1/budgets', created.json)).status).toBe(409);
    const listed = await call(h.url, admin, 'GET', '/v1/budgets');
    expect((listed.json.budgets as Array<{ budget_id: string }>).map((b) => b.budget_id)).toEqual([
      'bot-daily',
    ]);
  });

  it('denies a call at the hard limit with 429 naming the budget, and lets it through once the budget is raised', async () => {
    const check = () =>
      call(h.url, ingest, 'POST', '/v1/budgets/check', { app_id: 'support-bot', model: 'gpt-4o' });
    const before = await check();
    expect(before.status).toBe(200);
    expect(before.json.allowed).toBe(true);
    expect(before.json.budgets[0]).toMatchObject({ budget_id: 'bot-daily', used: 0 });

    await countUsage([{ input_tokens: 700, output_tokens: 300 }]);
    const denied = await check();
    expect(denied.status).toBe(429);
    expect(denied.json.error.code).toBe('budget_exceeded');
    expect(denied.json.error.budget).toMatchObject({
      budget_id: 'bot-daily',
      scope: 'app',
      scope_value: 'support-bot',
      used: 1_000,
      limit: 1_000,
      hard_limit: 1_000,
      exceeded: true,
    });
    expect(Number(denied.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another app of the tenant is not concerned by the app's budget.
    expect(
      (await call(h.url, ingest, 'POST', '/v1/budgets/check', { app_id: 'search' })).status,
    ).toBe(200);

    const raised = await call(h.url, admin, 'PATCH', '/v1/budgets/bot-daily', { limit: 5_000 });
    expect(raised.status).toBe(200);
    expect(raised.json.revision).toBe(2);
    const allowed = await check();
    expect(allowed.status).toBe(200);
    expect(allowed.json.budgets[0]).toMatchObject({ used: 1_000, used_pct: 20 });
  });

  it('answers bad checks with a specific error, in the API error shape, before any budget is read', async () => {
    const raw = (headers: Record<string, string>, body: string) =>
      fetch(`${h.url}/v1/budgets/check`, { method: 'POST', headers, body }).then(async (r) => ({
        status: r.status,
        json: (await r.json()) as { error: { code: string; details?: Array<{ path: string }> } },
        challenge: r.headers.get('www-authenticate'),
      }));
    const json = { 'content-type': 'application/json' };
    const bearer = (k: string) => ({ ...json, authorization: `Bearer ${k}` });
    const cases: Array<[string, Promise<Awaited<ReturnType<typeof raw>>>, number, string]> = [
      ['no key', raw(json, '{"app_id":"a"}'), 401, 'missing_api_key'],
      ['unknown key', raw(bearer('llm_nope_x'), '{"app_id":"a"}'), 401, 'invalid_api_key'],
      ['key without ingest scope', raw(bearer(query), '{"app_id":"a"}'), 403, 'missing_scope'],
      ['not JSON', raw(bearer(ingest), '{"app_id":'), 400, 'invalid_json'],
      ['not an object', raw(bearer(ingest), '["a"]'), 400, 'invalid_body'],
      ['no app_id', raw(bearer(ingest), '{"user_id":"u"}'), 400, 'invalid_check'],
      [
        'user_id not a string',
        raw(bearer(ingest), '{"app_id":"a","user_id":7}'),
        400,
        'invalid_check',
      ],
      [
        'text/plain',
        raw({ 'content-type': 'text/plain', authorization: `Bearer ${ingest}` }, 'app_id=a'),
        415,
        'unsupported_media_type',
      ],
    ];
    for (const [name, pending, status, code] of cases) {
      const res = await pending;
      expect({ name, status: res.status, code: res.json.error.code }).toEqual({
        name,
        status,
        code,
      });
    }
    expect((await cases[0]![1]).challenge).toBe('Bearer realm="llmops"');
    expect((await cases[6]![1]).json.error.details?.map((d) => d.path)).toEqual(['user_id']);
  });

  it('answers 503 with Retry-After when Redis cannot be read, and allows a tenant without budgets', async () => {
    const down = await startHarness({ REDIS_URL: 'redis://127.0.0.1:1', REDIS_KEY_PREFIX: prefix });
    try {
      const downAdmin = await down.key('acme', ['admin']);
      const downIngest = await down.key('acme', ['ingest']);
      const other = await down.key('other', ['ingest']);
      expect(
        (
          await call(down.url, downAdmin, 'POST', '/v1/budgets', {
            budget_id: 'd',
            scope: 'tenant',
            period: 'day',
            unit: 'tokens',
            limit: 10,
          })
        ).status,
      ).toBe(201);
      const res = await call(down.url, downIngest, 'POST', '/v1/budgets/check', { app_id: 'a' });
      expect(res.status).toBe(503);
      expect(res.json.error.code).toBe('usage_unavailable');
      expect(res.headers.get('retry-after')).toBe('1');
      // No budget applies to the other tenant: nothing to read, the call may go.
      const free = await call(down.url, other, 'POST', '/v1/budgets/check', { app_id: 'a' });
      expect(free.json).toEqual({ allowed: true, budgets: [] });
    } finally {
      await down.close();
    }
  });

  it('still accepts an invocation of an app over its budget: ingest never refuses a record', async () => {
    await call(h.url, admin, 'PATCH', '/v1/budgets/bot-daily', { limit: 10 });
    expect(
      (await call(h.url, ingest, 'POST', '/v1/budgets/check', { app_id: 'support-bot' })).status,
    ).toBe(429);
    const id = randomUUID();
    const res = await post(h.url, ingest, event({ event_id: id }));
    expect(res.status).toBe(202);
    const msgs = await readMessages(testKafka(), h.topics.invocations, 1);
    expect(msgs.map((m) => invocationCodec.decode(m.value!).event_id)).toContain(id);
  });

  it('answers usage grouped by a dimension for the key tenant, with exact cost', async () => {
    await countUsage([
      { model: 'gpt-4o', input_tokens: 10, output_tokens: 5, cost: 75_000_000n },
      { model: 'claude-sonnet-4', input_tokens: 3, output_tokens: 1, cost: 1n },
    ]);
    const res = await call(h.url, query, 'GET', '/v1/usage?group_by=model&period=day');
    expect(res.status).toBe(200);
    const byModel = Object.fromEntries(
      (res.json.groups as Array<{ key: string }>).map((g) => [g.key, g]),
    );
    expect(byModel['claude-sonnet-4']).toMatchObject({
      requests: 1,
      total_tokens: 4,
      cost_pico_usd: '1',
      cost_usd: '0.000000000001',
    });
    expect(byModel['gpt-4o']).toMatchObject({
      requests: 2,
      total_tokens: 1_015,
      cost_usd: '0.000075',
    });
    expect((await call(h.url, query, 'GET', '/v1/usage?group_by=colour')).status).toBe(400);
    expect((await call(h.url, ingest, 'GET', '/v1/usage')).status).toBe(403);
  });

  it('keeps budgets on the compacted control topic: a fresh reader rebuilds them without Redis', async () => {
    const store = new BudgetStore(testKafka(), silent, h.topics.controlBudgets);
    await store.start();
    try {
      expect(store.get('acme', 'bot-daily')).toMatchObject({ limit: 10, revision: 3 });
    } finally {
      await store.stop();
    }
  });
});
