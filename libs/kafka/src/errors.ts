/**
 * A transient fault (a server down, a timeout): the operation may succeed if
 * tried again. Consumers retry these without limit and never dead-letter a
 * record for one; everything else is the record's own fault.
 */
export class RetriableError extends Error {
  readonly retriable = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RetriableError';
  }
}

/** Kafka is unreachable or too slow to acknowledge: the ingress answers 503. */
export class PublishUnavailableError extends RetriableError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PublishUnavailableError';
  }
}

/** True for errors that say they are transient (ours and kafkajs's `retriable` flag). */
export function isRetriable(err: unknown): boolean {
  return (
    typeof err === 'object' && err !== null && (err as { retriable?: unknown }).retriable === true
  );
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/**
 * Runs `fn`, trying again with doubling backoff while it fails with a
 * transient error (a broker that just became leader, a rebalance), up to
 * `attempts` tries; other errors are thrown at once.
 */
export async function retryTransient<T>(
  fn: () => Promise<T>,
  { attempts = 10, baseMs = 100 } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isRetriable(err) || attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, Math.min(5_000, baseMs * 2 ** (attempt - 1))));
    }
  }
}
