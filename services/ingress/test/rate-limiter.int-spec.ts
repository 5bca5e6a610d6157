import { Redis } from 'ioredis';
import { testEndpoints, uniqueName } from '@llmops/testing';
import { ApiError } from '../src/http/api-error';
import { RateLimiter, type RateLimits } from '../src/gateway/rate-limiter';

/**
 * The gateway's rate limiter against the real Redis, at a fixed clock (the window is the UTC
 * minute of `now`), so that no test depends on when it runs.
 */
describe('RateLimiter in Redis', () => {
  const redis = new Redis(testEndpoints().redisUrl);
  const prefix = `${uniqueName('t-rlim')}:`;
  const limiter = new RateLimiter(redis, prefix);
  const NOW = Date.UTC(2026, 11, 1, 12, 0, 10);
  const limits: RateLimits = { requests: { key: 100 }, tokens: { user: 100 } };
  const who = (user: string) => ({ key: 'k1', app: 'a1', user });

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.unlink(...keys);
    redis.disconnect();
  });

  const messageOf = (e: unknown) =>
    ((e as ApiError).getResponse() as { error: { message: string } }).error.message;

  const outcome = (p: Promise<unknown>) =>
    p.then(
      () => 'ok',
      (e: unknown) => (e instanceof ApiError ? e.getStatus() : 'other'),
    );

  it('lets exactly the estimates that fit through when calls race, and counts nothing for the refused', async () => {
    const user = uniqueName('race');
    const results = await Promise.all(
      Array.from({ length: 6 }, () => outcome(limiter.take('acme', limits, who(user), 30, NOW))),
    );
    expect(results.filter((r) => r === 'ok')).toHaveLength(3);
    expect(results.filter((r) => r === 429)).toHaveLength(3);
    const [tokens] = await redis.keys(`${prefix}tl:acme:user:${user}:*`);
    expect(await redis.get(tokens!)).toBe('90');
    // Requests were counted for the three that passed only.
    const [requests] = await redis.keys(`${prefix}rl:acme:key:k1:*`);
    expect(await redis.get(requests!)).toBe('3');
  });

  it('corrects the counter to the real usage after the call, which frees what the estimate held', async () => {
    const user = uniqueName('settle');
    const first = await limiter.take('acme', limits, who(user), 80, NOW);
    expect(first!.headers['x-ratelimit-remaining-tokens']).toBe('20');
    const refused = await limiter.take('acme', limits, who(user), 80, NOW).catch((e: unknown) => e);
    expect(messageOf(refused)).toMatch(
      /user rate limit of 100 tokens per minute would be passed \(80 used, this call needs about 80\)/,
    );
    await limiter.settle(first!.ticket!, 12);
    const second = await limiter.take('acme', limits, who(user), 80, NOW);
    expect(second!.headers['x-ratelimit-remaining-tokens']).toBe(String(100 - 12 - 80));
  });

  it('starts each minute afresh, and tells when the window resets', async () => {
    const user = uniqueName('window');
    await limiter.take('acme', limits, who(user), 100, NOW);
    const err = await limiter.take('acme', limits, who(user), 1, NOW).catch((e: unknown) => e);
    expect((err as ApiError).headers).toMatchObject({
      'retry-after': '50',
      'x-ratelimit-reset-tokens': '50s',
      'x-ratelimit-remaining-tokens': '0',
    });
    await expect(limiter.take('acme', limits, who(user), 100, NOW + 60_000)).resolves.toBeDefined();
  });

  it('does not create a counter when correcting one whose window is gone', async () => {
    const ticket = { tokenKeys: [`${prefix}tl:acme:user:gone:1`], estimate: 10 };
    await limiter.settle(ticket, 50);
    expect(await redis.exists(ticket.tokenKeys[0]!)).toBe(0);
  });
});
