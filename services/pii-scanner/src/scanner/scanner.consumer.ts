import type { Kafka } from 'kafkajs';
import {
  invocationCodec,
  invocationKey,
  piiFindingCodec,
  securityEventCodec,
  type Invocation,
  type TopicNames,
} from '@llmops/contracts';
import { ConsumerRunner, EventPublisher, type ConsumedRecord } from '@llmops/kafka';
import type { ConsumerMetrics, Logger } from '@llmops/observability';
import type { InvocationScanner } from './invocation-scanner';

export interface ScannerConsumerOptions {
  groupId: string;
  maxAttempts: number;
  retryBaseMs: number;
}

/**
 * Raw invocations in; redacted copies and findings out. A batch's offsets
 * are committed only after Kafka acknowledged all of its output records.
 */
export class ScannerConsumer {
  private readonly runner: ConsumerRunner<Invocation>;

  constructor(
    kafka: Kafka,
    private readonly publisher: EventPublisher,
    private readonly topics: TopicNames,
    private readonly scanner: InvocationScanner,
    logger: Logger,
    metrics: ConsumerMetrics,
    opts: ScannerConsumerOptions,
  ) {
    this.runner = new ConsumerRunner<Invocation>(kafka, {
      topic: topics.invocations,
      groupId: opts.groupId,
      decode: (m) => invocationCodec.decode(m.value ?? Buffer.alloc(0)),
      handle: (records) => this.handle(records),
      logger,
      metrics,
      maxAttempts: opts.maxAttempts,
      retryBaseMs: opts.retryBaseMs,
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
    const now = Date.now();
    const redacted = [];
    const findings = [];
    const exposures = [];
    for (const { value } of records) {
      const result = this.scanner.scan(value, now);
      const key = invocationKey(value.tenant_id, value.trace_id);
      redacted.push({
        key,
        value: invocationCodec.encode(result.redacted),
        headers: { 'llmops-event-id': value.event_id },
      });
      if (result.exposure) {
        exposures.push({
          key: value.tenant_id,
          value: securityEventCodec.encode(result.exposure),
          headers: { 'llmops-event-id': result.exposure.event_id },
        });
      }
      for (const f of result.findings) {
        findings.push({
          key: `${f.tenant_id}/${f.event_id}`,
          value: piiFindingCodec.encode(f),
          headers: { 'llmops-finding-id': f.finding_id },
        });
      }
    }
    await Promise.all([
      this.publisher.publish(this.topics.invocationsRedacted, redacted),
      findings.length > 0
        ? this.publisher.publish(this.topics.piiFindings, findings)
        : Promise.resolve(),
      exposures.length > 0
        ? this.publisher.publish(this.topics.securityEvents, exposures)
        : Promise.resolve(),
    ]);
  }
}
