import { Partitioners, type Kafka, type Message, type Producer } from 'kafkajs';
import type { Logger } from '@llmops/observability';
import { PublishUnavailableError, errorMessage } from './errors';

export interface PublisherOptions {
  /** Messages waiting for Kafka beyond this are refused at once (no unbounded buffering). @default 20000 */
  maxQueuedMessages?: number;
  /** How long one publish may wait for Kafka's acknowledgement before it is reported unavailable. @default 10000 */
  ackTimeoutMs?: number;
  /** Most messages in one produce request. @default 5000 */
  maxBatchMessages?: number;
}

interface Pending {
  topic: string;
  messages: Message[];
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
  private readonly producer: Producer;
  private readonly queue: Pending[] = [];
  private queued = 0;
  private inFlight = false;
  private connected = false;
  private readonly maxQueued: number;
  private readonly ackTimeoutMs: number;
  private readonly maxBatch: number;

  constructor(
    kafka: Kafka,
    private readonly logger: Logger,
    opts: PublisherOptions = {},
  ) {
    this.producer = kafka.producer({
      // kafkajs's current default (murmur2, as the Java client); naming it silences its v2 migration warning.
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1_000 },
    });
    this.maxQueued = opts.maxQueuedMessages ?? 20_000;
    this.ackTimeoutMs = opts.ackTimeoutMs ?? 10_000;
    this.maxBatch = opts.maxBatchMessages ?? 5_000;
  }

  async connect(): Promise<void> {
    await this.producer.connect();
    this.connected = true;
  }

  /** Whether the producer has a connection; false after `disconnect`. */
  isConnected(): boolean {
    return this.connected;
  }

  /**
   * Writes the messages to the topic and resolves once Kafka acknowledged all
   * of them (acks=all). Rejects with PublishUnavailableError when Kafka does
   * not acknowledge in time or the queue is full; the caller answers 503.
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
      const pending: Pending = { topic, messages, resolve, reject, settled: false };
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
    const deadline = Date.now() + this.ackTimeoutMs;
    while ((this.inFlight || this.queue.length > 0) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    this.connected = false;
    await this.producer.disconnect();
  }

  private settle(p: Pending, err?: Error): void {
    if (p.settled) return;
    p.settled = true;
    if (err) p.reject(err);
    else p.resolve();
  }

  private pump(): void {
    if (this.inFlight || this.queue.length === 0) return;
    const batch: Pending[] = [];
    let count = 0;
    while (
      this.queue.length > 0 &&
      (batch.length === 0 || count + this.queue[0]!.messages.length <= this.maxBatch)
    ) {
      const next = this.queue.shift()!;
      count += next.messages.length;
      batch.push(next);
    }
    this.queued -= count;
    const live = batch.filter((p) => !p.settled);
    if (live.length === 0) {
      this.pump();
      return;
    }
    this.inFlight = true;
    const byTopic = new Map<string, Message[]>();
    for (const p of live) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), ...p.messages]);
    this.producer
      .sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      })
      .then(
        () => live.forEach((p) => this.settle(p)),
        (err: unknown) => {
          this.logger.warn(
            { err: errorMessage(err), messages: count },
            'Kafka did not acknowledge a produce request',
          );
          const failure = new PublishUnavailableError(
            `Kafka did not acknowledge the write: ${errorMessage(err)}`,
            { cause: err },
          );
          live.forEach((p) => this.settle(p, failure));
        },
      )
      .finally(() => {
        this.inFlight = false;
        this.pump();
      });
  }
}
