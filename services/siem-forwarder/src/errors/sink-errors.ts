import { RetriableError } from '@llmops/kafka';

/**
 * A sink is down, slow or refusing for a reason that is not the record's
 * fault (connection refused, timeout, 5xx, bad token): the sink's consumer
 * retries without limit and commits nothing, so nothing is lost.
 */
export class SinkUnavailableError extends RetriableError {
  constructor(
    readonly sink: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${sink} sink: ${message}`, options);
    this.name = 'SinkUnavailableError';
  }
}

/**
 * The sink refused the record itself (e.g. HEC 400 "invalid data format", a
 * syslog datagram that cannot fit): after the runner's bounded retries the
 * record goes to the DLQ with this reason.
 */
export class SinkRejectedError extends Error {
  readonly retriable = false;
  constructor(
    readonly sink: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${sink} sink: ${message}`, options);
    this.name = 'SinkRejectedError';
  }
}
