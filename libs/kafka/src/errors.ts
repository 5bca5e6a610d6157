/**
 * Where a failure comes from; it decides what happens to the record.
 *
 * - `transient`: a server is down or slow; it passes by itself. Pause, retry.
 * - `deployment`: the installation is wrong (a missing table, a refused
 *   password, missing permissions, a missing topic); it passes once an
 *   operator fixes it. Pause, retry, and say what to fix. No record is to
 *   blame, so none is dead-lettered.
 * - `record`: the record itself cannot be processed (undecodable, invalid,
 *   too large). Retrying cannot help: dead-letter it at once.
 */
export type Fault = 'transient' | 'deployment' | 'record';

/** An error that carries its own verdict, and for deployment faults what to fix. */
export interface ClassifiedError {
  readonly fault: Fault;
  readonly hint?: string;
}

/**
 * A transient fault (a server down, a timeout): the operation may succeed if
 * tried again. Consumers retry these without limit and never dead-letter a
 * record for one.
 */
export class RetriableError extends Error implements ClassifiedError {
  readonly retriable = true;
  readonly fault: Fault = 'transient';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RetriableError';
  }
}

/** A fault of the installation that an operator must fix; `hint` says what. Consumers pause on it. */
export class DeploymentFaultError extends Error implements ClassifiedError {
  readonly retriable = false;
  readonly fault: Fault = 'deployment';
  constructor(
    message: string,
    readonly hint: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DeploymentFaultError';
  }
}

/** Kafka is unreachable or too slow to acknowledge: the ingress answers 503. */
export class PublishUnavailableError extends RetriableError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PublishUnavailableError';
  }
}

/**
 * Kafka refused the write for a reason retrying cannot fix: the records
 * (`fault: 'record'`, e.g. larger than the topic takes) or the deployment
 * (`fault: 'deployment'`, e.g. no permission on the topic). `kafkaType` is
 * Kafka's error name, such as `MESSAGE_TOO_LARGE`, when it gave one.
 */
export class PublishRejectedError extends Error implements ClassifiedError {
  readonly retriable = false;
  constructor(
    message: string,
    readonly fault: 'record' | 'deployment',
    readonly kafkaType: string | undefined,
    readonly hint: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PublishRejectedError';
  }
}

/**
 * Kafka errors that mean the idempotent producer's own state (its id, epoch
 * or sequence numbers) no longer matches the broker's, typically after a
 * partition leader changed mid-request. kafkajs keeps failing with the same
 * producer; a new producer (new id, sequences from zero) writes again, so
 * they are transient for whoever replaces it (see ProducerSession).
 */
const PRODUCER_STATE_TYPES = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_EPOCH',
  'INVALID_PRODUCER_ID_MAPPING',
]);

/** An error and its causes, outermost first, at most five deep (kafkajs wraps in layers). */
function* causeChain(err: unknown): Generator<{ hint?: unknown; type?: unknown; cause?: unknown }> {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const link = e as { hint?: unknown; type?: unknown; cause?: unknown };
    yield link;
    e = link.cause;
  }
}

/** Kafka's error name (`MESSAGE_TOO_LARGE`) of an error or its causes, through kafkajs's retry wrapper. */
export function kafkaErrorType(err: unknown): string | undefined {
  for (const { type } of causeChain(err)) if (typeof type === 'string') return type;
  return undefined;
}

/** Whether a Kafka error (or one of its causes) is about the producer's idempotence state. */
export function isProducerStateError(err: unknown): boolean {
  for (const { type } of causeChain(err)) {
    if (typeof type === 'string' && PRODUCER_STATE_TYPES.has(type)) return true;
  }
  return false;
}

// Kafka protocol errors (the `type` of a KafkaJSProtocolError) that are the records' own fault.
const RECORD_FAULT_TYPES = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'CORRUPT_MESSAGE',
  'INVALID_TIMESTAMP',
]);

// Kafka protocol errors that an operator must fix, with what to do.
const DEPLOYMENT_FAULT_HINTS: Record<string, string> = {
  TOPIC_AUTHORIZATION_FAILED: 'grant this client Write/Read on the topic (Kafka ACLs)',
  GROUP_AUTHORIZATION_FAILED: 'grant this client Read on the consumer group (Kafka ACLs)',
  CLUSTER_AUTHORIZATION_FAILED: 'grant this client IdempotentWrite on the cluster (Kafka ACLs)',
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED: 'grant this client the transactional id (Kafka ACLs)',
  SASL_AUTHENTICATION_FAILED: 'check the Kafka credentials in the configuration',
  UNKNOWN_TOPIC_OR_PARTITION: 'create the topics: `llmops topics ensure` (or check TOPIC_PREFIX)',
  POLICY_VIOLATION: "the broker's create-topic or alter policy refused the request",
  UNSUPPORTED_VERSION: 'the broker does not support the protocol version this client speaks',
};

/**
 * The verdict on a failure, read where it was decided: an error's own
 * `fault`, kafkajs's errors by their protocol type and `retriable` flag (a
 * `KafkaJSNumberOfRetriesExceeded` is judged by what kept failing), and
 * `retriable: true` as transient. Other errors with `retriable: false` were
 * classified by code that knew the record was to blame: `record`. An error
 * with no verdict at all (a bug, an unexpected library error) gives
 * `undefined`; consumers try those a bounded number of times.
 */
export function faultOf(err: unknown): Fault | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { fault?: unknown; retriable?: unknown; name?: unknown; cause?: unknown };
  if (e.fault === 'transient' || e.fault === 'deployment' || e.fault === 'record') return e.fault;
  if (typeof e.name === 'string' && e.name.startsWith('KafkaJS')) return kafkaFault(err);
  if (e.retriable === true) return 'transient';
  if (e.retriable === false) return 'record';
  return undefined;
}

/** What an operator should do about a deployment fault, when the error says. */
export function faultHint(err: unknown): string | undefined {
  for (const { hint, type } of causeChain(err)) {
    if (typeof hint === 'string') return hint;
    if (typeof type === 'string' && DEPLOYMENT_FAULT_HINTS[type])
      return DEPLOYMENT_FAULT_HINTS[type];
  }
  return undefined;
}

function kafkaFault(err: object): Fault {
  const { name, type, retriable, cause } = err as {
    name: string;
    type?: unknown;
    retriable?: unknown;
    cause?: unknown;
  };
  // Retries ran out on some other error: that error says what kind of fault it is.
  if (name === 'KafkaJSNumberOfRetriesExceeded' && cause && typeof cause === 'object') {
    return kafkaFault(cause);
  }
  if (typeof type === 'string') {
    if (PRODUCER_STATE_TYPES.has(type)) return 'transient';
    if (RECORD_FAULT_TYPES.has(type)) return 'record';
    if (type in DEPLOYMENT_FAULT_HINTS) return 'deployment';
  }
  if (name === 'KafkaJSSASLAuthenticationError' || name === 'KafkaJSServerDoesNotSupportApiKey') {
    return 'deployment';
  }
  if (retriable === true) return 'transient';
  // kafkajs marks timeouts and a missing coordinator as not retriable for its
  // own retry loop; for a service they pass like any outage.
  if (
    name === 'KafkaJSTimeout' ||
    name === 'KafkaJSLockTimeout' ||
    name === 'KafkaJSGroupCoordinatorNotFound' ||
    name === 'KafkaJSRequestTimeoutError' ||
    name === 'KafkaJSConnectionError' ||
    name === 'KafkaJSConnectionClosedError'
  ) {
    return 'transient';
  }
  // A protocol error kafkajs will not retry and we do not know: an operator should look.
  return 'deployment';
}

/** True for errors that say they are transient (ours and kafkajs's `retriable` flag). */
export function isRetriable(err: unknown): boolean {
  return faultOf(err) === 'transient';
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
