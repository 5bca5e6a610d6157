import { type Consumer, type EachBatchPayload, type Kafka, type KafkaMessage } from 'kafkajs';
import type { ConsumerMetrics, Logger } from '@llmops/observability';
import { closableConsumer } from './client';
import { toDlqMessage } from './dlq';
import { faultHint, faultOf, type Fault } from './errors';
import { ProducerSession } from './producer-session';

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
  /**
   * Tries of one record whose handler fails with an unclassified error (one
   * that carries no verdict: a bug, an unexpected library error) before it
   * goes to the DLQ. Record faults go at once; transient and deployment
   * faults are never counted, they pause the partition. @default 5
   */
  maxAttempts?: number;
  /** First backoff; doubles per try up to 10 s. @default 200 */
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

// A paused partition tries again at least this often, so it resumes within seconds of a fix.
const MAX_BACKOFF_MS = 10_000;

/**
 * Runs one consumer group member with at-least-once semantics: a batch's
 * offsets are committed only after its side effect succeeded (or its poison
 * records reached the DLQ). Failures are judged by `faultOf`: undecodable
 * records and record faults go to `<topic>.dlq` at once, with the reason;
 * transient and deployment faults pause the partition (metric
 * `llmops_consumer_paused`, a log that says what to fix) and it resumes by
 * itself when they clear, so a server down or a table missing dead-letters
 * nothing; errors with no verdict are tried `maxAttempts` times, then
 * dead-lettered.
 */
export class ConsumerRunner<T> {
  private readonly consumer: Consumer;
  private readonly dlqProducer: ProducerSession;
  private readonly log: Logger;
  private readonly maxAttempts: number;
  private readonly retryBaseMs: number;
  private stopping = false;

  constructor(
    kafka: Kafka,
    private readonly opts: ConsumerRunnerOptions<T>,
  ) {
    this.consumer = closableConsumer(kafka, {
      groupId: opts.groupId,
      minBytes: opts.minBytes ?? 1,
      maxWaitTimeInMs: opts.maxWaitTimeInMs ?? 500,
      maxBytesPerPartition: opts.maxBytesPerPartition ?? 1_048_576,
      allowAutoTopicCreation: false,
      // Not restarted once stop() began: it may still be draining before it disconnects.
      retry: { restartOnFailure: () => Promise.resolve(!this.stopping) },
    });
    this.dlqProducer = new ProducerSession(kafka, opts.logger);
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
   * Runs the handler on the whole batch. Transient and deployment faults
   * pause the partition until they clear; on a fault of a record (or an
   * unclassified error), falls back to one record at a time so only the bad
   * record is dead-lettered. Returns false when it had to give up because
   * the consumer is stopping.
   */
  private async applyBatch(
    records: ConsumedRecord<T>[],
    alive: () => boolean,
    heartbeat: () => Promise<void>,
  ): Promise<boolean> {
    if (records.length === 0) return true;
    const outcome = await this.withRetries(records, alive, heartbeat);
    if (outcome === 'ok') return true;
    if (outcome === 'stopped') return false;
    if (records.length === 1) {
      const r = records[0]!;
      await this.deadLetter(this.opts.topic, r.partition, r.message, outcome.error, outcome.tries);
      return true;
    }
    this.log.warn(
      { records: records.length, err: outcome.error },
      'batch failed on a record; isolating the bad record',
    );
    for (const r of records) {
      if (!(await this.applyBatch([r], alive, heartbeat))) return false;
    }
    return true;
  }

  /**
   * 'ok', 'stopped', or the error that condemns the records: a record fault
   * at once, an unclassified error after `maxAttempts` tries of a single
   * record (one try of a batch, which is then split). Transient and
   * deployment faults are retried with backoff for as long as they last.
   */
  private async withRetries(
    records: ConsumedRecord<T>[],
    alive: () => boolean,
    heartbeat: () => Promise<void>,
  ): Promise<'ok' | 'stopped' | { error: Error; tries: number }> {
    const labels = { topic: this.opts.topic, group: this.opts.groupId };
    const partition = String(records[0]!.partition);
    const maxUnclassified = records.length > 1 ? 1 : this.maxAttempts;
    let unclassified = 0;
    let pausedOn: string | undefined;
    const resume = () => {
      if (pausedOn === undefined) return;
      this.opts.metrics?.paused.set({ ...labels, partition, fault: pausedOn }, 0);
      this.log.info({ partition, fault: pausedOn }, 'fault cleared; consuming again');
      pausedOn = undefined;
    };
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await this.opts.handle(records);
          resume();
          return 'ok';
        } catch (caught) {
          const err = asError(caught);
          const fault = faultOf(err);
          this.opts.metrics?.retries.inc({ ...labels, fault: fault ?? 'unclassified' });
          if (fault === 'record') return { error: err, tries: unclassified + 1 };
          if (fault === undefined && ++unclassified >= maxUnclassified) {
            return { error: err, tries: unclassified };
          }
          const delay = Math.min(MAX_BACKOFF_MS, this.retryBaseMs * 2 ** Math.min(attempt - 1, 10));
          if (fault !== undefined && pausedOn !== fault) {
            if (pausedOn !== undefined) {
              this.opts.metrics?.paused.set({ ...labels, partition, fault: pausedOn }, 0);
            }
            pausedOn = fault;
            this.opts.metrics?.paused.set({ ...labels, partition, fault }, 1);
          }
          this.logFailure(err, fault, { attempt, partition, delayMs: delay });
          if (!(await this.sleepAlive(delay, alive, heartbeat))) return 'stopped';
        }
      }
    } finally {
      if (pausedOn !== undefined) {
        this.opts.metrics?.paused.set({ ...labels, partition, fault: pausedOn }, 0);
      }
    }
  }

  private logFailure(
    err: Error,
    fault: Fault | undefined,
    at: { attempt: number; partition: string; delayMs: number },
  ): void {
    if (fault === 'deployment') {
      const fix = faultHint(err) ?? 'see the error';
      this.log.error(
        { ...at, fault, err, fix },
        `paused by a deployment fault; nothing is dead-lettered, consuming resumes by itself once fixed: ${fix}`,
      );
    } else if (fault === 'transient') {
      this.log.warn({ ...at, fault, err }, 'paused by a transient fault; retrying');
    } else {
      this.log.warn(
        { ...at, fault: 'unclassified', err, maxAttempts: this.maxAttempts },
        'handler failed with an unclassified error; retrying',
      );
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
    await this.dlqProducer.send([{ topic: dl.topic, messages: [dl.message] }]);
    this.opts.metrics?.processed.inc({ topic, group: this.opts.groupId, outcome: 'dlq' });
    this.opts.metrics?.deadLetters.inc({ topic, group: this.opts.groupId, reason: error.name });
    this.log.error(
      { partition, offset: message.offset, err: error, dlq: dl.topic },
      'record dead-lettered',
    );
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
