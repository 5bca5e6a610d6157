import type { Kafka } from 'kafkajs';
import { invocationCodec, type Invocation, type TopicNames } from '@llmops/contracts';
import { ConsumerRunner, type ConsumedRecord } from '@llmops/kafka';
import type { ConsumerMetrics, Logger } from '@llmops/observability';
import type { InvocationWriter } from '../invocations/invocation-writer';

/** Refused (and dead-lettered): a record on the redacted topic that the scanner did not redact. */
export class UnredactedRecordError extends Error {
  readonly retriable = false;
  constructor(eventId: string) {
    super(`invocation ${eventId} has no redaction stamp; raw text must never reach ClickHouse`);
    this.name = 'UnredactedRecordError';
  }
}

export interface SinkConsumerOptions {
  topics: TopicNames;
  groupId: string;
  maxAttempts: number;
  retryBaseMs: number;
  minBytes: number;
  maxWaitTimeInMs: number;
  maxBytesPerPartition: number;
}

/**
 * Redacted invocations in, ClickHouse rows out: one insert per fetched
 * batch (Kafka's fetch.min.bytes / fetch.max.wait bound its size and age),
 * offsets committed only after ClickHouse accepted it.
 */
export class SinkConsumer {
  private readonly runner: ConsumerRunner<Invocation>;

  constructor(
    kafka: Kafka,
    private readonly writer: InvocationWriter,
    logger: Logger,
    metrics: ConsumerMetrics,
    opts: SinkConsumerOptions,
  ) {
    this.runner = new ConsumerRunner<Invocation>(kafka, {
      topic: opts.topics.invocationsRedacted,
      groupId: opts.groupId,
      decode: (m) => {
        const inv = invocationCodec.decode(m.value ?? Buffer.alloc(0));
        if (inv.redaction === null) throw new UnredactedRecordError(inv.event_id);
        return inv;
      },
      handle: (records) => this.handle(records),
      logger,
      metrics,
      maxAttempts: opts.maxAttempts,
      retryBaseMs: opts.retryBaseMs,
      minBytes: opts.minBytes,
      maxWaitTimeInMs: opts.maxWaitTimeInMs,
      maxBytesPerPartition: opts.maxBytesPerPartition,
      fromBeginning: true,
    });
  }

  start(): Promise<void> {
    return this.runner.start();
  }

  stop(): Promise<void> {
    return this.runner.stop();
  }

  private async handle(records: ConsumedRecord<Invocation>[]): Promise<void> {
    await this.writer.write(records.map((r) => r.value));
  }
}
