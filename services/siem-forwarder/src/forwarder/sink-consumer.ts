import type { Kafka } from 'kafkajs';
import { securityEventCodec } from '@llmops/contracts';
import { ConsumerRunner } from '@llmops/kafka';
import type { ConsumerMetrics, Logger } from '@llmops/observability';
import type { Sink } from './sink';

export interface SinkConsumerOptions {
  topic: string;
  maxAttempts: number;
  retryBaseMs: number;
  metrics?: ConsumerMetrics;
}

/**
 * The consumer group of one sink: decodes and formats each security event
 * (poison → DLQ at once), hands the batch to the sink, and commits only
 * after the sink took it.
 */
export class SinkConsumer<T> {
  private readonly runner: ConsumerRunner<T>;

  constructor(
    kafka: Kafka,
    private readonly sink: Sink<T>,
    logger: Logger,
    opts: SinkConsumerOptions,
  ) {
    this.runner = new ConsumerRunner<T>(kafka, {
      topic: opts.topic,
      groupId: sink.groupId,
      decode: (m) => sink.prepare(securityEventCodec.decode(m.value ?? Buffer.alloc(0)), m),
      handle: (records) => sink.deliver(records),
      logger: logger.child({ sink: sink.name }),
      metrics: opts.metrics,
      maxAttempts: opts.maxAttempts,
      retryBaseMs: opts.retryBaseMs,
      fromBeginning: true,
    });
  }

  async start(): Promise<void> {
    await this.sink.start?.();
    await this.runner.start();
  }

  async stop(): Promise<void> {
    await this.runner.stop();
    await this.sink.stop?.();
  }
}
