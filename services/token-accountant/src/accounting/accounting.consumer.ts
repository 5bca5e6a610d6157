import type { Kafka } from 'kafkajs';
import { invocationCodec, type Invocation } from '@llmops/contracts';
import { ConsumerRunner } from '@llmops/kafka';
import type { ConsumerMetrics, Logger } from '@llmops/observability';
import type { Accountant } from './accountant';

export interface AccountingConsumerOptions {
  topic: string;
  groupId: string;
  maxAttempts: number;
  retryBaseMs: number;
  partitionsConcurrently: number;
}

/**
 * Reads the raw invocations topic, not the redacted one: counters need only
 * ids and numbers (never text), and the raw topic is written first, so
 * usage and budget state do not wait for (or depend on) the pii-scanner.
 * Offsets are committed only after the counting script and the budget
 * events succeeded (at-least-once; the script's dedupe makes it effectively once).
 */
export class AccountingConsumer {
  private readonly runner: ConsumerRunner<Invocation>;

  constructor(
    kafka: Kafka,
    accountant: Accountant,
    logger: Logger,
    metrics: ConsumerMetrics,
    opts: AccountingConsumerOptions,
  ) {
    this.runner = new ConsumerRunner<Invocation>(kafka, {
      topic: opts.topic,
      groupId: opts.groupId,
      decode: (m) => invocationCodec.decode(m.value ?? Buffer.alloc(0)),
      handle: (records) => accountant.handle(records),
      logger,
      metrics,
      maxAttempts: opts.maxAttempts,
      retryBaseMs: opts.retryBaseMs,
      partitionsConcurrently: opts.partitionsConcurrently,
      fromBeginning: true,
    });
  }

  start(): Promise<void> {
    return this.runner.start();
  }

  stop(): Promise<void> {
    return this.runner.stop();
  }
}
