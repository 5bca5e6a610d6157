import { INVOCATION_LIMITS, type Invocation } from '@llmops/contracts';
import { MAX_TIME_MS, MIN_TIME_MS, PriceBook, type CountableEvent } from '@llmops/pricing';

/** The ingress's bound: more tokens than this in one call is not a real invocation. */
const MAX_TOKENS = INVOCATION_LIMITS.maxTokens;
/** One call's cost must stay exact in the counting script (2^53 picodollars, about $9,007). */
const MAX_EVENT_COST = 2n ** 53n;

/** An invocation the accountant refuses: never retriable, it goes to the DLQ with the reason. */
export class InvalidUsageError extends Error {
  readonly retriable = false;
  constructor(eventId: string, reason: string) {
    super(`invocation ${eventId}: ${reason}`);
    this.name = 'InvalidUsageError';
  }
}

/** Checks an invocation's numbers and prices it; throws InvalidUsageError for absurd input. */
export function toCountable(inv: Invocation, prices: PriceBook): CountableEvent {
  const bad = (reason: string) => new InvalidUsageError(inv.event_id, reason);
  const u = inv.usage;
  for (const [name, n] of Object.entries(u)) {
    if (!Number.isSafeInteger(n) || n < 0 || n > MAX_TOKENS) {
      throw bad(`usage.${name} must be a whole number from 0 to ${MAX_TOKENS} (got ${n})`);
    }
  }
  if (u.cached_input_tokens + u.cache_creation_input_tokens > u.input_tokens)
    throw bad(
      'usage.cached_input_tokens + usage.cache_creation_input_tokens exceeds usage.input_tokens',
    );
  if (u.reasoning_tokens > u.output_tokens)
    throw bad('usage.reasoning_tokens exceeds usage.output_tokens');
  if (!(inv.start_time_ms >= MIN_TIME_MS && inv.start_time_ms < MAX_TIME_MS))
    throw bad(`start_time_ms ${inv.start_time_ms} is not between 2000 and 2100`);
  if (!inv.event_id || inv.event_id.length > 200) throw bad('event_id must be 1-200 characters');
  const price = prices.price(
    inv.provider_name,
    [inv.response_model, inv.request_model],
    inv.start_time_ms,
  );
  const cost = price ? PriceBook.cost(u, price) : 0n;
  if (cost >= MAX_EVENT_COST) throw bad(`cost of ${cost} picodollars is absurd for one call`);
  return {
    event_id: inv.event_id,
    start_time_ms: inv.start_time_ms,
    app_id: inv.app_id,
    user_id: inv.user_id,
    agent_id: inv.agent_id,
    model: inv.request_model,
    input_tokens: u.input_tokens,
    output_tokens: u.output_tokens,
    cached_input_tokens: u.cached_input_tokens,
    reasoning_tokens: u.reasoning_tokens,
    cost,
    error: inv.status === 'error',
    unpriced: !price,
  };
}
