import {
  Partitioners,
  type Consumer,
  type EachBatchPayload,
  type Kafka,
  type KafkaMessage,
  type Producer,
} from 'kafkajs';
import type { ConsumerMetrics, Logger } from '@llmops/observability';
import { toDlqMessage } from './dlq';
import { errorMessage, isRetriable } from './errors';

/** One decoded record of a batch, with where it came from. */
export interface ConsumedRecord<T> {
  value: T;
  message: KafkaMessage;
  partition: number;
}

/** Decodes a message's bytes; throws (non-retriable) for poison. */
export type Decoder<T> = (message: KafkaMessage) => T;

/**
 * Applies the side effect of a batch. Must be idempotent on the records'
 * ids: a batch can be delivered again after a crash. Throw an error with
 * `retriable: true` for transient faults (retried without limit, never
 * dead-lettered); any other error makes the runner isolate the bad record.
 */
export type BatchHandler<T> = (records: ConsumedRecord<T>[]) => Promise<void>;

export interface ConsumerRunnerOptions<T> {
  topic: string;
  groupId: string;
  decode: Decoder<T>;
  handle: BatchHandler<T>;
  logger: Logger;
  metrics?: ConsumerMetrics;
  /** Tries of a record that fails for a non-transient reason before it goes to the DLQ. @default 5 */
  maxAttempts?: number;
  /** First backoff; doubles per try up to 30 s. @default 200 */
  retryBaseMs?: number;
  /** Broker-side batching: wait for this many bytes... @default 1 */
  minBytes?: number;
  /** ...or this long, whichever comes first. @default 500 */
  maxWaitTimeInMs?: number;
  /** @default 1048576 */
  maxBytesPerPartition?: number;
  /** @default false */
  fromBeginning?: boolean;
  /**
   * Batches of this many partitions handled at once (each still in order and
   * committed on its own). Only for handlers that are safe to run concurrently
   * with themselves. @default 1
   */
  partitionsConcurrently?: number;
}

const MAX_BACKOFF_MS = 30_000;

/**
 * Runs one consumer group member with at-least-once semantics: a batch's
 * offsets are committed only after its side effect succeeded (or its poison
 * records reached the DLQ). Undecodable records go to `<topic>.dlq` at once;
 * records the handler rejects are retried `maxAttempts` times, then
 * dead-lettered with the reason; transient faults are retried until they
 * pass or the consumer is stopped, so nothing is skipped while a server is down.
 */
export class ConsumerRunner<T> {
  private readonly consumer: Consumer;
  private readonly dlqProducer: Producer;
  private readonly log: Logger;
  private readonly maxAttempts: number;
  private readonly retryBaseMs: number;
  private stopping = false;

  constructor(
    kafka: Kafka,
    private readonly opts: ConsumerRunnerOptions<T>,
  ) {
    this.consumer = kafka.consumer({
      groupId: opts.groupId,
      minBytes: opts.minBytes ?? 1,
      maxWaitTimeInMs: opts.maxWaitTimeInMs ?? 500,
      maxBytesPerPartition: opts.maxBytesPerPartition ?? 1_048_576,
      allowAutoTopicCreation: false,
    });
    this.dlqProducer = kafka.producer({
      // kafkajs's current default (murmur2, as the Java client); naming it silences its v2 migration warning.
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    this.log = opts.logger.child({
      component: 'consumer',
      topic: opts.topic,
      groupId: opts.groupId,
    });
    this.maxAttempts = opts.maxAttempts ?? 5;
    this.retryBaseMs = opts.retryBaseMs ?? 200;
  }

  async start(): Promise<void> {
    await this.dlqProducer.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({
      topic: this.opts.topic,
      fromBeginning: this.opts.fromBeginning ?? false,
    });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.opts.partitionsConcurrently ?? 1,
      eachBatch: (payload) => this.eachBatch(payload),
    });
    this.log.info('consuming');
  }

  /** Stops fetching, lets the batch in hand finish and commit, then disconnects. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer.disconnect();
    await this.dlqProducer.disconnect();
    this.log.info('stopped');
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const heartbeat = () => payload.heartbeat();
    if (batch.messages.length === 0) return;
    const end = this.opts.metrics?.batchSeconds.startTimer({
      topic: batch.topic,
      group: this.opts.groupId,
    });
    const records: ConsumedRecord<T>[] = [];
    const poison: Array<{ message: KafkaMessage; error: Error }> = [];
    for (const message of batch.messages) {
      try {
        records.push({ value: this.opts.decode(message), message, partition: batch.partition });
      } catch (err) {
        poison.push({ message, error: asError(err) });
      }
    }
    const alive = () => payload.isRunning() && !payload.isStale() && !this.stopping;
    for (const p of poison)
      await this.deadLetter(batch.topic, batch.partition, p.message, p.error, 1);

    const done = await this.applyBatch(records, alive, heartbeat);
    if (!done) return; // stopped or rebalanced mid-way: nothing committed, the batch comes again
    const last = batch.messages[batch.messages.length - 1]!;
    for (const m of batch.messages) payload.resolveOffset(m.offset);
    await this.consumer.commitOffsets([
      {
        topic: batch.topic,
        partition: batch.partition,
        offset: (BigInt(last.offset) + 1n).toString(),
      },
    ]);
    await heartbeat();
    this.opts.metrics?.processed.inc(
      { topic: batch.topic, group: this.opts.groupId, outcome: 'ok' },
      records.length,
    );
    end?.();
  }

  /**
   * Runs the handler on the whole batch; on a non-transient failure, falls
   * back to one record at a time so only the bad record is dead-lettered.
   * Returns false when it had to give up because the consumer is stopping.
   */
  private async applyBatch(
    records: ConsumedRecord<T>[],
    alive: () => boolean,
    heartbeat: () => Promise<void>,
  ): Promise<boolean> {
    if (records.length === 0) return true;
    const outcome = await this.withRetries(
      records,
      alive,
      heartbeat,
      records.length > 1 ? 1 : this.maxAttempts,
    );
    if (outcome === 'ok') return true;
    if (outcome === 'stopped') return false;
    if (records.length === 1) {
      const r = records[0]!;
      await this.deadLetter(this.opts.topic, r.partition, r.message, outcome, this.maxAttempts);
      return true;
    }
    this.log.warn(
      { records: records.length, err: outcome.message },
      'batch failed; isolating the bad record',
    );
    for (const r of records) {
      if (!(await this.applyBatch([r], alive, heartbeat))) return false;
    }
    return true;
  }

  /** 'ok', 'stopped', or the last non-transient error after `attempts` tries. */
  private async withRetries(
    records: ConsumedRecord<T>[],
    alive: () => boolean,
    heartbeat: () => Promise<void>,
    attempts: number,
  ): Promise<'ok' | 'stopped' | Error> {
    let failures = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.opts.handle(records);
        return 'ok';
      } catch (err) {
        const retriable = isRetriable(err);
        this.opts.metrics?.retries.inc({
          topic: this.opts.topic,
          group: this.opts.groupId,
          retriable: String(retriable),
        });
        if (!retriable) {
          failures++;
          if (failures >= attempts) return asError(err);
        }
        const delay = Math.min(MAX_BACKOFF_MS, this.retryBaseMs * 2 ** Math.min(attempt - 1, 10));
        this.log.warn(
          { attempt, retriable, delayMs: delay, err: errorMessage(err) },
          'handler failed; retrying',
        );
        if (!(await this.sleepAlive(delay, alive, heartbeat))) return 'stopped';
      }
    }
  }

  private async sleepAlive(
    ms: number,
    alive: () => boolean,
    heartbeat: () => Promise<void>,
  ): Promise<boolean> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (!alive()) return false;
      await new Promise((r) => setTimeout(r, Math.min(500, until - Date.now())));
      await heartbeat().catch(() => undefined);
    }
    return alive();
  }

  private async deadLetter(
    topic: string,
    partition: number,
    message: KafkaMessage,
    error: Error,
    attempts: number,
  ) {
    const dl = toDlqMessage({
      topic,
      partition,
      message,
      error,
      attempts,
      groupId: this.opts.groupId,
    });
    // The DLQ write must be acknowledged before the offset moves past the record.
    await this.dlqProducer.send({ topic: dl.topic, messages: [dl.message], acks: -1 });
    this.opts.metrics?.processed.inc({ topic, group: this.opts.groupId, outcome: 'dlq' });
    this.log.error(
      { partition, offset: message.offset, err: error.message, dlq: dl.topic },
      'record dead-lettered',
    );
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
