import { Redis } from 'ioredis';
import { ApiError } from '../http/api-error';
import { NO_RATE_LIMITS, RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('limits nothing when no limit applies, without asking Redis', async () => {
    // A client that could not answer: proof that nothing is asked.
    const redis = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
    });
    const limiter = new RateLimiter(redis, 't:');
    await expect(
      limiter.take('acme', NO_RATE_LIMITS, { key: 'k', app: 'a', user: null }),
    ).resolves.toBeUndefined();
    await expect(
      limiter.take(
        'acme',
        { requests: { user: 5 }, tokens: { user: 500 } },
        { key: 'k', app: 'a', user: null },
      ),
    ).resolves.toBeUndefined();
    redis.disconnect();
  });

  it('answers 503 with Retry-After when Redis cannot be reached, so that no unlimited call is made', async () => {
    // Nothing listens on port 1: the connection is refused, as with a Redis that is down.
    const redis = new Redis('redis://127.0.0.1:1', {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    redis.on('error', () => undefined);
    const limiter = new RateLimiter(redis, 't:');
    const err = await limiter
      .take('acme', { requests: { key: 10 }, tokens: {} }, { key: 'k', app: 'a', user: null })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect(e.getStatus()).toBe(503);
    expect(e.code).toBe('rate_limit_unavailable');
    expect(e.headers['retry-after']).toBe('1');
    redis.disconnect();
  });
});
