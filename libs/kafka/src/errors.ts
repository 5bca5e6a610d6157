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
