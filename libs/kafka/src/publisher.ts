import type { Kafka, Message } from 'kafkajs';
import type { Logger } from '@llmops/observability';
import {
  PublishRejectedError,
  PublishUnavailableError,
  faultHint,
  faultOf,
  kafkaErrorType,
} from './errors';
import { ProducerSession } from './producer-session';

export interface PublisherOptions {
  /** Messages waiting for Kafka beyond this are refused at once (no unbounded buffering). @default 20000 */
  maxQueuedMessages?: number;
  /** How long one publish may wait for Kafka's acknowledgement before it is reported unavailable. @default 10000 */
  ackTimeoutMs?: number;
  /** Most messages in one produce request. @default 5000 */
  maxBatchMessages?: number;
  /**
   * Most bytes (keys, values and headers) in one produce request; a single
   * larger message goes alone. Keeps every record batch under the topics'
   * `max.message.bytes` (see `RECORD_LIMITS`). @default 1048576
   */
  maxRequestBytes?: number;
}

/** Bytes a message adds to a produce request, near enough to bound request sizes. */
export function messageBytes(m: Message): number {
  let n = 64 + byteLength(m.key) + byteLength(m.value);
  for (const [k, v] of Object.entries(m.headers ?? {})) {
    n +=
      Buffer.byteLength(k) +
      (Array.isArray(v) ? v.reduce((a, x) => a + byteLength(x), 0) : byteLength(v));
  }
  return n;
}

function byteLength(v: Buffer | string | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'string' ? Buffer.byteLength(v) : v.length;
}

interface Pending {
  topic: string;
  messages: Message[];
  /** Each message's size (messageBytes), worked out once at publish. */
  sizes: number[];
  bytes: number;
  resolve: () => void;
  reject: (err: Error) => void;
  settled: boolean;
}

/**
 * An idempotent, acks=all producer with group commit: while one produce
 * request is in flight, later publishes queue up and leave together in the
 * next request, so many concurrent small publishes cost few round trips.
 * `publish` resolves only after Kafka acknowledged every message of the call.
 */
export class EventPublisher {
  private readonly producer: ProducerSession;
  private readonly queue: Pending[] = [];
  private queued = 0;
  private inFlight = false;
  private readonly idleWaiters: Array<() => void> = [];
  private connected = false;
  private readonly maxQueued: number;
  private readonly ackTimeoutMs: number;
  private readonly maxBatch: number;
  private readonly maxRequestBytes: number;

  constructor(
    kafka: Kafka,
    private readonly logger: Logger,
    opts: PublisherOptions = {},
  ) {
    this.producer = new ProducerSession(kafka, logger, {
      retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1_000 },
    });
    this.maxQueued = opts.maxQueuedMessages ?? 20_000;
    this.ackTimeoutMs = opts.ackTimeoutMs ?? 10_000;
    this.maxBatch = opts.maxBatchMessages ?? 5_000;
    this.maxRequestBytes = opts.maxRequestBytes ?? 1_048_576;
  }

  async connect(): Promise<void> {
    await this.producer.connect();
    this.connected = true;
  }

  /**
   * Whether a publish of `count` messages would be queued now: connected and the queue has room.
   * The gateway asks before it calls a model, so that a call whose record could not be kept is
   * refused before it is made.
   */
  accepting(count = 1): boolean {
    return this.connected && this.queued + count <= this.maxQueued;
  }

  /** Whether the producer has a connection; false after `disconnect`. */
  isConnected(): boolean {
    return this.connected;
  }

  /**
   * Writes the messages to the topic and resolves once Kafka acknowledged all
   * of them (acks=all). Rejects with PublishUnavailableError when Kafka does
   * not acknowledge in time, is unreachable or the queue is full (the caller
   * answers 503), and with PublishRejectedError when Kafka refused the write
   * for good (kafkajs's verdict kept: too large, not authorised).
   */
  publish(topic: string, messages: Message[]): Promise<void> {
    if (!this.connected) {
      return Promise.reject(new PublishUnavailableError('the Kafka producer is not connected'));
    }
    if (this.queued + messages.length > this.maxQueued) {
      return Promise.reject(
        new PublishUnavailableError(
          `${this.queued} messages are already waiting for Kafka; try again shortly`,
        ),
      );
    }
    return new Promise<void>((resolve, reject) => {
      const sizes = messages.map(messageBytes);
      const bytes = sizes.reduce((a, b) => a + b, 0);
      const pending: Pending = { topic, messages, sizes, bytes, resolve, reject, settled: false };
      const timer = setTimeout(() => {
        this.settle(
          pending,
          new PublishUnavailableError(`Kafka did not acknowledge within ${this.ackTimeoutMs} ms`),
        );
      }, this.ackTimeoutMs);
      timer.unref();
      pending.resolve = () => {
        clearTimeout(timer);
        resolve();
      };
      pending.reject = (err) => {
        clearTimeout(timer);
        reject(err);
      };
      this.queue.push(pending);
      this.queued += messages.length;
      this.pump();
    });
  }

  async disconnect(): Promise<void> {
    // Let queued publishes finish (each is bounded by the ack timeout) before closing.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.whenIdle(),
      new Promise<void>((r) => (timer = setTimeout(r, this.ackTimeoutMs))),
    ]);
    clearTimeout(timer);
    this.connected = false;
    await this.producer.disconnect();
    if (this.inFlight) {
      // A request kafkajs is still retrying may reconnect the client it was given; once it has
      // settled, close again so no socket or timer outlives the publisher.
      await this.whenIdle();
      await this.producer.disconnect();
    }
  }

  /** Resolves once nothing is queued or in flight. */
  private whenIdle(): Promise<void> {
    if (!this.inFlight && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private settle(p: Pending, err?: Error): void {
    if (p.settled) return;
    p.settled = true;
    if (err) p.reject(err);
    else p.resolve();
  }

  private pump(): void {
    if (this.inFlight) return;
    if (!this.connected) {
      const closing = new PublishUnavailableError('the Kafka producer is closing');
      for (const p of this.queue.splice(0)) this.settle(p, closing);
      this.queued = 0;
    }
    if (this.queue.length === 0) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
      return;
    }
    const batch: Pending[] = [];
    let count = 0;
    let bytes = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      const fits =
        count + next.messages.length <= this.maxBatch && bytes + next.bytes <= this.maxRequestBytes;
      if (batch.length > 0 && !fits) break;
      this.queue.shift();
      count += next.messages.length;
      bytes += next.bytes;
      batch.push(next);
    }
    this.queued -= count;
    const live = batch.filter((p) => !p.settled);
    if (live.length === 0) {
      this.pump();
      return;
    }
    this.inFlight = true;
    this.send(live)
      .then(
        () => live.forEach((p) => this.settle(p)),
        (err: unknown) => {
          const failure = this.failure(err);
          this.logger.warn(
            { err, messages: count, fault: failure.fault },
            'Kafka did not acknowledge a produce request',
          );
          live.forEach((p) => this.settle(p, failure));
        },
      )
      .finally(() => {
        this.inFlight = false;
        this.pump();
      });
  }

  /**
   * Sends the publishes' messages in requests of at most `maxRequestBytes`
   * (one call's messages may span several, in order); resolves when Kafka
   * acknowledged all of them.
   */
  private async send(live: Pending[]): Promise<void> {
    let request = new Map<string, Message[]>();
    let bytes = 0;
    const flush = async () => {
      if (request.size === 0) return;
      const topicMessages = [...request].map(([topic, messages]) => ({ topic, messages }));
      request = new Map();
      bytes = 0;
      await this.producer.send(topicMessages);
    };
    for (const p of live) {
      for (let i = 0; i < p.messages.length; i++) {
        const m = p.messages[i]!;
        const size = p.sizes[i]!;
        if (bytes > 0 && bytes + size > this.maxRequestBytes) await flush();
        const list = request.get(p.topic);
        if (list) list.push(m);
        else request.set(p.topic, [m]);
        bytes += size;
      }
    }
    await flush();
  }

  /** kafkajs's verdict kept: permanent refusals are not reported as an outage. */
  private failure(err: unknown): PublishUnavailableError | PublishRejectedError {
    const fault = faultOf(err);
    const text = describe(err);
    if (fault === 'record' || fault === 'deployment') {
      return new PublishRejectedError(
        `Kafka refused the write: ${text}`,
        fault,
        kafkaErrorType(err),
        faultHint(err),
        { cause: err },
      );
    }
    return new PublishUnavailableError(`Kafka did not acknowledge the write: ${text}`, {
      cause: err,
    });
  }
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  const inner =
    cause instanceof Error && cause.message !== err.message ? ` (${cause.message})` : '';
  return `${err.message}${inner}`;
}
