import {
  invocationCodec,
  invocationKey,
  piiFindingCodec,
  securityEventCodec,
  type Invocation,
  type TopicNames,
} from '@llmops/contracts';
import type { ConsumedRecord, EventPublisher } from '@llmops/kafka';
import type { InvocationScanner } from './invocation-scanner';

/**
 * Raw invocations in; redacted copies, findings and exposure events out. The
 * batch's handler resolves only after Kafka acknowledged all of its output
 * records, so its offsets are committed only then.
 */
export function scanBatch(
  scanner: InvocationScanner,
  publisher: EventPublisher,
  topics: TopicNames,
): (records: ConsumedRecord<Invocation>[]) => Promise<void> {
  return async (records) => {
    const now = Date.now();
    const redacted = [];
    const findings = [];
    const exposures = [];
    for (const { value } of records) {
      const result = scanner.scan(value, now);
      redacted.push({
        key: invocationKey(value.tenant_id, value.trace_id),
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
      publisher.publish(topics.invocationsRedacted, redacted),
      findings.length > 0 ? publisher.publish(topics.piiFindings, findings) : undefined,
      exposures.length > 0 ? publisher.publish(topics.securityEvents, exposures) : undefined,
    ]);
  };
}
