import OpenAI from 'openai';
import { Redis } from 'ioredis';
import {
  COUNT_SCRIPT,
  LuaScript,
  UsageKeys,
  buildCountCalls,
  type CountableEvent,
} from '@llmops/pricing';
import { LocalOpenAIUpstream, testEndpoints, uniqueName, waitFor } from '@llmops/testing';
import { startGatewayHarness, type GatewayHarness } from './gateway-harness';

/**
 * Request rate limits and budgets before a gateway call, counted in the test Redis under a
 * prefix of the test's own.
 */
describe('gateway: request rate limits and budgets', () => {
  let h: GatewayHarness;
  let upstream: LocalOpenAIUpstream;
  const prefix = `${uniqueName('t-rl')}:`;
  const redis = new Redis(testEndpoints().redisUrl);

  beforeAll(async () => {
    upstream = await LocalOpenAIUpstream.start();
    h = await startGatewayHarness(
      [
        'upstreams:',
        `  - { name: ext, base_url: "${upstream.baseUrl}", format: openai, endpoint_kind: internal, credential: { env: EXT_KEY } }`,
        'routes:',
        '  - { model: gpt-4o-mini, targets: [{ upstream: ext }] }',
        'tenants:',
        '  limited: { rate_limits: { requests_per_minute: { key: 50, user: 3 } } }',
        '  metered: { rate_limits: { tokens_per_minute: { user: 100 } } }',
      ],
      { EXT_KEY: 'sk-ext', REDIS_URL: testEndpoints().redisUrl, REDIS_KEY_PREFIX: prefix },
    );
  });

  afterAll(async () => {
    await h?.close();
    await upstream?.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.unlink(...keys);
    redis.disconnect();
  });

  const call = (client: OpenAI, user: string) =>
    client.chat.completions
      .create(
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
        { headers: { 'x-llmops-user-id': user } },
      )
      .withResponse()
      .then(
        (r) => ({ status: 200, headers: r.response.headers, error: undefined }),
        (e: InstanceType<typeof OpenAI.APIError>) => ({
          status: e.status,
          headers: e.headers as Headers,
          error: e,
        }),
      );

  it('lets exactly the limit through when calls race, refuses the rest with 429 and Retry-After, without calling the upstream', async () => {
    const client = new OpenAI({
      apiKey: await h.key('limited', ['gateway']),
      baseURL: `${h.url}/v1`,
      maxRetries: 0,
    });
    // The windows are UTC minutes: race well inside one, so that all ten calls count in it.
    await waitFor('a moment with more than 3 s left in the current minute', () =>
      Date.now() % 60_000 < 57_000 ? true : undefined,
    );
    const before = upstream.requests.length;
    const results = await Promise.all(Array.from({ length: 10 }, () => call(client, 'u-race')));
    const ok = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status === 429);
    expect(ok).toHaveLength(3);
    expect(refused).toHaveLength(7);
    expect(upstream.requests.length - before).toBe(3);
    const e = refused[0]!;
    expect(e.error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(e.error!.code).toBe('rate_limit_exceeded');
    expect(e.error!.message).toContain('user rate limit of 3 requests per minute');
    expect(Number(e.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(e.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    // An allowed call says how much is left of its tightest limit, as OpenAI does.
    expect(ok.map((r) => r.headers.get('x-ratelimit-remaining-requests')).sort()).toEqual([
      '0',
      '1',
      '2',
    ]);
    expect(ok[0]!.headers.get('x-ratelimit-limit-requests')).toBe('3');
  });

  it('counts each user apart, and leaves tenants without limits alone', async () => {
    const client = new OpenAI({
      apiKey: await h.key('limited', ['gateway']),
      baseURL: `${h.url}/v1`,
      maxRetries: 0,
    });
    expect((await call(client, 'u-other')).status).toBe(200);
    const free = new OpenAI({
      apiKey: await h.key('free', ['gateway']),
      baseURL: `${h.url}/v1`,
      maxRetries: 0,
    });
    const results = await Promise.all(Array.from({ length: 5 }, () => call(free, 'u-race')));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results[0]!.headers.get('x-ratelimit-limit-requests')).toBeNull();
  });

  it('counts tokens per minute at an estimate before the call and corrects it to the usage the upstream reported', async () => {
    const client = new OpenAI({
      apiKey: await h.key('metered', ['gateway']),
      baseURL: `${h.url}/v1`,
      maxRetries: 0,
    });
    const user = uniqueName('u-tokens');
    const { data, response } = await client.chat.completions
      .create(
        { model: 'gpt-4o-mini', max_tokens: 30, messages: [{ role: 'user', content: 'hi' }] },
        { headers: { 'x-llmops-user-id': user } },
      )
      .withResponse();
    // The estimate: the prompt counted (3 + 3 + 'user' 1 + 'hi' 1 = 8 tokens) and max_tokens.
    expect(response.headers.get('x-ratelimit-limit-tokens')).toBe('100');
    expect(response.headers.get('x-ratelimit-remaining-tokens')).toBe(String(100 - (8 + 30)));
    // After the call the user's counter holds what the call really used.
    const used = data.usage!.prompt_tokens + data.usage!.completion_tokens;
    await waitFor(`the token counter of ${user} corrected to ${used}`, async () => {
      const keys = await redis.keys(`${prefix}tl:metered:user:${user}:*`);
      const values = keys.length > 0 ? await redis.mget(...keys) : [];
      return values.reduce((n, v) => n + Number(v ?? 0), 0) === used ? true : undefined;
    });
  });

  it('refuses a call that alone needs more tokens than the limit allows, naming the limit, without calling the upstream', async () => {
    const client = new OpenAI({
      apiKey: await h.key('metered', ['gateway']),
      baseURL: `${h.url}/v1`,
      maxRetries: 0,
    });
    const before = upstream.requests.length;
    const err = await client.chat.completions
      .create(
        { model: 'gpt-4o-mini', max_tokens: 500, messages: [{ role: 'user', content: 'hi' }] },
        {
          headers: { 'x-llmops-user-id': uniqueName('u-big') },
        },
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    const e = err as InstanceType<typeof OpenAI.RateLimitError>;
    expect(e.code).toBe('rate_limit_exceeded');
    expect(e.message).toContain('needs about 508 tokens');
    expect(e.message).toContain('user rate limit of 100 tokens per minute');
    expect(e.headers.get('x-ratelimit-limit-tokens')).toBe('100');
    expect(upstream.requests.length).toBe(before);
  });

  it('refuses a call over its budget with 429 budget_exceeded, naming the budget, before the upstream', async () => {
    const admin = await h.key('spender', ['admin', 'gateway']);
    const created = await fetch(`${h.url}/v1/budgets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        budget_id: 'tiny-day',
        scope: 'app',
        scope_value: 'care-bot',
        period: 'day',
        unit: 'tokens',
        limit: 100,
      }),
    });
    expect(created.status).toBe(201);
    // The usage the token accountant would have counted: over the hard limit.
    const keys = new UsageKeys(prefix);
    const event: CountableEvent = {
      event_id: uniqueName('e'),
      start_time_ms: Date.now(),
      app_id: 'care-bot',
      user_id: null,
      agent_id: null,
      model: 'gpt-4o-mini',
      input_tokens: 90,
      output_tokens: 20,
      cached_input_tokens: 0,
      reasoning_tokens: 0,
      cost: 0n,
      error: false,
      unpriced: false,
    };
    for (const c of buildCountCalls(keys, 'spender', [event], [], 3_600))
      await new LuaScript(COUNT_SCRIPT).run(redis, [c.tenantBase], c.args);
    await waitFor('the ingress to load the budget', async () => {
      const res = await fetch(`${h.url}/v1/budgets/tiny-day`, {
        headers: { authorization: `Bearer ${admin}` },
      });
      return res.status === 200 ? true : undefined;
    });

    const client = new OpenAI({ apiKey: admin, baseURL: `${h.url}/v1`, maxRetries: 0 });
    const before = upstream.requests.length;
    const err = await client.chat.completions
      .create(
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
        { headers: { 'x-llmops-app-id': 'care-bot' } },
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    const e = err as InstanceType<typeof OpenAI.RateLimitError>;
    expect(e.code).toBe('budget_exceeded');
    expect(e.message).toContain("budget 'tiny-day'");
    expect(Number(e.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(upstream.requests.length).toBe(before);
    // Another app of the tenant is not under that budget.
    const other = await client.chat.completions.create(
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
      { headers: { 'x-llmops-app-id': 'other-bot' } },
    );
    expect(other.choices).toHaveLength(1);
  });
  it('lets concurrent first calls pass a budget only as far as its room: each holds what it may use until it ends', async () => {
    const admin = await h.key('racer', ['admin', 'gateway']);
    const created = await fetch(`${h.url}/v1/budgets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        budget_id: 'race-day',
        scope: 'app',
        scope_value: 'race-bot',
        period: 'day',
        unit: 'tokens',
        limit: 100,
      }),
    });
    expect(created.status).toBe(201);
    await waitFor('the ingress to load the budget', async () => {
      const res = await fetch(`${h.url}/v1/budgets/race-day`, {
        headers: { authorization: `Bearer ${admin}` },
      });
      return res.status === 200 ? true : undefined;
    });
    const client = new OpenAI({ apiKey: admin, baseURL: `${h.url}/v1`, maxRetries: 0 });
    // Each may use 8 prompt tokens (3 + 3 + 'user' 1 + 'hi' 1) and 30 more: 38. Nothing was
    // counted yet, so without holds all ten would pass the check; with them two fit in 100.
    const ask = () =>
      client.chat.completions
        .create(
          { model: 'gpt-4o-mini', max_tokens: 30, messages: [{ role: 'user', content: 'hi' }] },
          { headers: { 'x-llmops-app-id': 'race-bot' } },
        )
        .then(
          (r) => r.usage!.prompt_tokens + r.usage!.completion_tokens,
          (e: InstanceType<typeof OpenAI.APIError>) => e,
        );
    const before = upstream.requests.length;
    const results = await Promise.all(Array.from({ length: 10 }, ask));
    const used = results.filter((r): r is number => typeof r === 'number');
    expect(used).toHaveLength(2);
    const refused = results.filter(
      (r): r is InstanceType<typeof OpenAI.APIError> => typeof r !== 'number',
    );
    expect(refused.map((e) => e.code)).toEqual(Array(8).fill('budget_exceeded'));
    expect(upstream.requests.length - before).toBe(2);
    // Once the two ended they hold only what they used (6 each here), so another fits.
    await waitFor('the holds to shrink to what the calls used', async () =>
      typeof (await ask()) === 'number' ? true : undefined,
    );
    expect(used.reduce((a, b) => a + b, 0)).toBeLessThan(100);
  });
});
