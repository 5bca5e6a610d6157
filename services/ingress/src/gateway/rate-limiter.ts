import type { Redis } from 'ioredis';
import { LuaScript } from '@llmops/pricing';
import { ApiError } from '../http/api-error';

/** Requests per minute per API key, app and user; a dimension left out is not limited. */
export interface RateLimits {
  key?: number;
  app?: number;
  user?: number;
}

export type RateDimension = keyof RateLimits;
const DIMENSIONS: RateDimension[] = ['key', 'app', 'user'];
const WINDOW_MS = 60_000;

/**
 * All or nothing, in one atomic step: when any counter of the call is at its limit, none is
 * counted (a refused call uses no quota); otherwise every counter is incremented, and a new
 * window's counter expires with it. KEYS: one counter per limited dimension; ARGV[1]: the
 * window's time to live in ms; ARGV[1 + i]: the limit of KEYS[i]. Returns {0, count...} when
 * allowed, {i, count, ms until the window resets} when KEYS[i] refuses.
 */
const SCRIPT = new LuaScript(`
for i, k in ipairs(KEYS) do
  local n = tonumber(redis.call('GET', k) or '0')
  if n >= tonumber(ARGV[i + 1]) then
    return {i, n, redis.call('PTTL', k)}
  end
end
local out = {0}
for i, k in ipairs(KEYS) do
  local n = redis.call('INCR', k)
  if n == 1 then redis.call('PEXPIRE', k, ARGV[1]) end
  out[i + 1] = n
end
return out
`);

export interface RateDecision {
  /** OpenAI's headers for the tightest limit of the call: limit, remaining, reset. */
  headers: Record<string, string>;
}

/** OpenAI's duration format for `x-ratelimit-reset-*`: `1s`, `6m0s`. */
function duration(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${s % 60}s`;
}

/**
 * Request rate limits of the gateway in Redis: fixed one-minute windows (UTC minutes), one
 * counter per tenant, dimension and value, checked and counted atomically so concurrent calls
 * can never all pass the last free slot.
 */
export class RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Counts the call or throws 429 naming the limit, with Retry-After; 503 when Redis cannot answer. */
  async take(
    tenant: string,
    limits: RateLimits,
    values: Record<RateDimension, string | null>,
    nowMs = Date.now(),
  ): Promise<RateDecision | undefined> {
    const window = Math.floor(nowMs / WINDOW_MS);
    const applied = DIMENSIONS.filter((d) => limits[d] !== undefined && values[d] !== null);
    if (applied.length === 0) return undefined;
    const keys = applied.map(
      (d) => `${this.prefix}rl:${tenant}:${d}:${encodeURIComponent(values[d]!)}:${window}`,
    );
    let reply: number[];
    try {
      reply = (await SCRIPT.run(this.redis, keys, [
        String(WINDOW_MS + 1_000),
        ...applied.map((d) => String(limits[d])),
      ])) as number[];
    } catch {
      throw new ApiError(
        503,
        'rate_limit_unavailable',
        'the rate limits cannot be checked now (Redis does not answer), so no model call is made; retry shortly',
        undefined,
        { 'retry-after': '1' },
      );
    }
    const resetMs = (window + 1) * WINDOW_MS - nowMs;
    if (reply[0] !== 0) {
      const d = applied[reply[0]! - 1]!;
      const limit = limits[d]!;
      throw new ApiError(
        429,
        'rate_limit_exceeded',
        `the ${d} rate limit of ${limit} requests per minute is reached; it resets in ${Math.ceil(resetMs / 1000)} s`,
        undefined,
        {
          'retry-after': String(Math.max(1, Math.ceil(resetMs / 1000))),
          'x-ratelimit-limit-requests': String(limit),
          'x-ratelimit-remaining-requests': '0',
          'x-ratelimit-reset-requests': duration(resetMs),
        },
      );
    }
    // The tightest: the fewest requests left.
    let tightest = 0;
    applied.forEach((d, i) => {
      const left = limits[d]! - reply[i + 1]!;
      const best = limits[applied[tightest]!]! - reply[tightest + 1]!;
      if (left < best) tightest = i;
    });
    const d = applied[tightest]!;
    return {
      headers: {
        'x-ratelimit-limit-requests': String(limits[d]),
        'x-ratelimit-remaining-requests': String(limits[d]! - reply[tightest + 1]!),
        'x-ratelimit-reset-requests': duration(resetMs),
      },
    };
  }
}
