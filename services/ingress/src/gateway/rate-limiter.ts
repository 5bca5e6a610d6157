import type { Redis } from 'ioredis';
import { LuaScript } from '@llmops/pricing';
import type { Logger } from '@llmops/observability';
import { ApiError } from '../http/api-error';

/** Limits per minute per API key, app and user; a dimension left out is not limited. */
export interface DimensionLimits {
  key?: number;
  app?: number;
  user?: number;
}

/** A tenant's limits: requests and tokens (prompt and answer) per minute. */
export interface RateLimits {
  requests: DimensionLimits;
  tokens: DimensionLimits;
}

export const NO_RATE_LIMITS: RateLimits = { requests: {}, tokens: {} };

export type RateDimension = keyof DimensionLimits;
const DIMENSIONS: RateDimension[] = ['key', 'app', 'user'];
const WINDOW_MS = 60_000;

/**
 * All or nothing, in one atomic step: when any counter of the call would pass its limit, none
 * is counted (a refused call uses no quota); otherwise every counter is incremented (request
 * counters by 1, token counters by the call's estimate), and a new window's counter expires
 * with it. KEYS: the request counters, then the token counters; ARGV[1]: the window's time to
 * live in ms; ARGV[2]: how many of KEYS count requests; ARGV[3]: the token estimate;
 * ARGV[3 + i]: the limit of KEYS[i]. Returns {0, count...} when allowed, {i, count, ms until
 * the window resets} when KEYS[i] refuses.
 */
const TAKE = new LuaScript(`
local requests = tonumber(ARGV[2])
local estimate = tonumber(ARGV[3])
for i, k in ipairs(KEYS) do
  local n = tonumber(redis.call('GET', k) or '0')
  local add = 1
  if i > requests then add = estimate end
  if n + add > tonumber(ARGV[i + 3]) then
    return {i, n, redis.call('PTTL', k)}
  end
end
local out = {0}
for i, k in ipairs(KEYS) do
  local add = 1
  if i > requests then add = estimate end
  local n = redis.call('INCRBY', k, add)
  if n == add then redis.call('PEXPIRE', k, ARGV[1]) end
  out[i + 1] = n
end
return out
`);

/**
 * After the call: its token counters corrected from the estimate to what the call used
 * (ARGV[1], positive or negative), where the window's counter still exists.
 */
const SETTLE = new LuaScript(`
for _, k in ipairs(KEYS) do
  if redis.call('EXISTS', k) == 1 then redis.call('INCRBY', k, ARGV[1]) end
end
return 0
`);

/** What a counted call holds: its token counters and what was counted on them. */
export interface RateTicket {
  tokenKeys: string[];
  estimate: number;
}

export interface RateDecision {
  /** OpenAI's headers for the tightest limits of the call: limit, remaining, reset. */
  headers: Record<string, string>;
  /** Set when tokens were counted: settle it with the call's real usage. */
  ticket?: RateTicket;
}

/** OpenAI's duration format for `x-ratelimit-reset-*`: `1s`, `6m0s`. */
function duration(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${s % 60}s`;
}

interface Counter {
  unit: 'requests' | 'tokens';
  dimension: RateDimension;
  limit: number;
  key: string;
}

/**
 * Request and token rate limits of the gateway in Redis: fixed one-minute windows (UTC minutes),
 * one counter per tenant, unit, dimension and value, checked and counted atomically so that
 * concurrent calls can never all pass the last free slot. Tokens are counted before the call at
 * an estimate (prompt tokens by the tokenizer plus the answer's maximum) and corrected to the
 * real usage after it, as OpenAI's own limits do.
 */
export class RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly log?: Logger,
  ) {}

  /** Whether `limits` limit tokens for a call with these values (the estimate is needed then). */
  countsTokens(limits: RateLimits, values: Record<RateDimension, string | null>): boolean {
    return DIMENSIONS.some((d) => limits.tokens[d] !== undefined && values[d] !== null);
  }

  /**
   * Counts the call (one request, `estimate` tokens) or throws 429 naming the limit, with
   * Retry-After; 503 when Redis cannot answer.
   */
  async take(
    tenant: string,
    limits: RateLimits,
    values: Record<RateDimension, string | null>,
    estimate = 0,
    nowMs = Date.now(),
  ): Promise<RateDecision | undefined> {
    const window = Math.floor(nowMs / WINDOW_MS);
    const counters: Counter[] = [];
    for (const unit of ['requests', 'tokens'] as const)
      for (const d of DIMENSIONS) {
        const limit = limits[unit][d];
        if (limit === undefined || values[d] === null) continue;
        const value = encodeURIComponent(values[d]);
        const tag = unit === 'requests' ? 'rl' : 'tl';
        counters.push({
          unit,
          dimension: d,
          limit,
          key: `${this.prefix}${tag}:${tenant}:${d}:${value}:${window}`,
        });
      }
    if (counters.length === 0) return undefined;
    const requests = counters.filter((c) => c.unit === 'requests').length;
    let reply: number[];
    try {
      reply = (await TAKE.run(
        this.redis,
        counters.map((c) => c.key),
        [
          String(WINDOW_MS + 1_000),
          String(requests),
          String(estimate),
          ...counters.map((c) => String(c.limit)),
        ],
      )) as number[];
    } catch {
      throw unavailable();
    }
    const resetMs = (window + 1) * WINDOW_MS - nowMs;
    if (reply[0] !== 0) throw refusal(counters[reply[0]! - 1]!, reply[1]!, estimate, resetMs);
    const headers: Record<string, string> = {};
    for (const unit of ['requests', 'tokens'] as const) {
      // The tightest of the unit: the least left.
      let best: { limit: number; left: number } | undefined;
      for (const [i, c] of counters.entries()) {
        if (c.unit !== unit) continue;
        const left = Math.max(0, c.limit - reply[i + 1]!);
        if (!best || left < best.left) best = { limit: c.limit, left };
      }
      if (!best) continue;
      headers[`x-ratelimit-limit-${unit}`] = String(best.limit);
      headers[`x-ratelimit-remaining-${unit}`] = String(best.left);
      headers[`x-ratelimit-reset-${unit}`] = duration(resetMs);
    }
    const tokenKeys = counters.filter((c) => c.unit === 'tokens').map((c) => c.key);
    return { headers, ...(tokenKeys.length > 0 ? { ticket: { tokenKeys, estimate } } : {}) };
  }

  /**
   * Corrects the call's token counters from its estimate to what it used. Never throws: a
   * correction Redis cannot take leaves the estimate counted (logged), which errs on the side of
   * the limit.
   */
  async settle(ticket: RateTicket, usedTokens: number): Promise<void> {
    const delta = usedTokens - ticket.estimate;
    if (delta === 0) return;
    try {
      await SETTLE.run(this.redis, ticket.tokenKeys, [String(delta)]);
    } catch (err) {
      this.log?.warn({ err, delta }, 'token rate-limit counters not corrected to the real usage');
    }
  }
}

function unavailable(): ApiError {
  return new ApiError(
    503,
    'rate_limit_unavailable',
    'the rate limits cannot be checked now (Redis does not answer), so no model call is made; retry shortly',
    undefined,
    { 'retry-after': '1' },
  );
}

function refusal(c: Counter, used: number, estimate: number, resetMs: number): ApiError {
  const resetS = Math.max(1, Math.ceil(resetMs / 1000));
  const headers = {
    'retry-after': String(resetS),
    [`x-ratelimit-limit-${c.unit}`]: String(c.limit),
    [`x-ratelimit-remaining-${c.unit}`]: String(Math.max(0, c.limit - used)),
    [`x-ratelimit-reset-${c.unit}`]: duration(resetMs),
  };
  if (c.unit === 'requests')
    return new ApiError(
      429,
      'rate_limit_exceeded',
      `the ${c.dimension} rate limit of ${c.limit} requests per minute is reached; it resets in ${resetS} s`,
      undefined,
      headers,
    );
  if (estimate > c.limit)
    return new ApiError(
      429,
      'rate_limit_exceeded',
      `this call needs about ${estimate} tokens (its prompt and max_tokens), more than the ${c.dimension} rate limit of ${c.limit} tokens per minute allows at all; send a shorter prompt or a lower max_tokens`,
      [{ path: 'max_tokens', message: 'makes the call larger than the token rate limit' }],
      headers,
    );
  return new ApiError(
    429,
    'rate_limit_exceeded',
    `the ${c.dimension} rate limit of ${c.limit} tokens per minute would be passed (${used} used, this call needs about ${estimate}); it resets in ${resetS} s`,
    undefined,
    headers,
  );
}
