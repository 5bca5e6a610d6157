import { randomUUID } from 'node:crypto';
import { Partitioners, type Consumer, type Kafka, type Producer } from 'kafkajs';
import { closableConsumer, retryTransient } from '@llmops/kafka';
import type { Logger } from '@llmops/observability';

export interface CompactedTopicOptions<T> {
  kafka: Kafka;
  logger: Logger;
  topic: string;
  /** What the records are, for logs and errors ("API keys", "budgets"). */
  what: string;
  decode(bytes: Buffer): T;
  encode(record: T): Buffer;
  /** The record's message key: compaction keeps the latest record per key. */
  key(record: T): string;
  /** Called for every record read or written, in order. */
  apply(record: T): void;
}

/**
 * Control-plane state on a compacted Kafka topic, the way Kafka Connect
 * keeps its configuration: durable (acks=all, replicated, compaction keeps
 * the latest record of every key) without another database. Every replica
 * reads the topic from the start to its current end before serving, then
 * follows it live; the caller keeps the state in memory via `apply`.
 */
export class CompactedTopic<T> {
  private consumer?: Consumer;
  private producer?: Producer;
  private readonly log: Logger;

  constructor(private readonly o: CompactedTopicOptions<T>) {
    this.log = o.logger.child({ component: 'control-plane', topic: o.topic });
  }

  /** Resolves once every record up to the topic's end at call time was applied. */
  async start(timeoutMs = 30_000): Promise<void> {
    const admin = this.o.kafka.admin();
    await admin.connect();
    // Right after the topic is created its leader may not be known everywhere yet: retry that.
    const ends = await retryTransient(() => admin.fetchTopicOffsets(this.o.topic)).finally(() =>
      admin.disconnect(),
    );
    const pending = new Map(
      ends.filter((e) => BigInt(e.high) > 0n).map((e) => [e.partition, BigInt(e.high)]),
    );
    // A group of its own, never committed: each replica reads the whole topic.
    this.consumer = closableConsumer(this.o.kafka, {
      groupId: `llmops-control-${randomUUID()}`,
      maxWaitTimeInMs: 250,
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.o.topic, fromBeginning: true });
    let caughtUp!: () => void;
    const ready = new Promise<void>((resolve) => (caughtUp = resolve));
    if (pending.size === 0) caughtUp();
    await this.consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        if (message.value) this.read(partition, message.offset, message.value);
        const end = pending.get(partition);
        if (end !== undefined && BigInt(message.offset) + 1n >= end) {
          pending.delete(partition);
          if (pending.size === 0) caughtUp();
        }
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(`${this.o.what} not loaded from ${this.o.topic} within ${timeoutMs} ms`),
          ),
        timeoutMs,
      );
    });
    await Promise.race([ready, timeout]).finally(() => clearTimeout(timer));
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
  }

  /** Writes a record (acknowledged by all in-sync replicas), then applies it locally. */
  async write(record: T): Promise<void> {
    if (!this.producer) {
      this.producer = this.o.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await this.producer.connect();
    }
    await this.producer.send({
      topic: this.o.topic,
      acks: -1,
      messages: [{ key: this.o.key(record), value: this.o.encode(record) }],
    });
    this.o.apply(record);
  }

  private read(partition: number, offset: string, value: Buffer): void {
    try {
      this.o.apply(this.o.decode(value));
    } catch (err) {
      this.log.error({ partition, offset, err }, `unreadable ${this.o.what} record skipped`);
    }
  }
}
