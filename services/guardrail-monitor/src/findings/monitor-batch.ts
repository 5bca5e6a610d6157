import {
  guardrailFindingCodec,
  securityEventCodec,
  type Invocation,
  type TopicNames,
} from '@llmops/contracts';
import type { ConsumedRecord, EventPublisher } from '@llmops/kafka';
import { Counter, type Registry } from '@llmops/observability';
import type { InvocationMonitor } from './invocation-monitor';

/** Header naming the finding of a record on the findings topic (as the pii-scanner's). */
export const FINDING_ID_HEADER = 'llmops-finding-id';
/** Header naming the security event of a record on the security topic. */
export const EVENT_ID_HEADER = 'llmops-event-id';

/**
 * Raw invocations in; guardrail findings and security events out. The handler resolves only
 * after Kafka acknowledged every record it wrote (acks=all, idempotent producer), so the batch's
 * offsets are committed only then; a crash before that redelivers the batch, which writes the
 * same records with the same ids again. An invocation whose records cannot be encoded fails the
 * batch with a record fault: the consumer host then isolates it and dead-letters it alone.
 */
export function monitorBatch(
  monitor: InvocationMonitor,
  publisher: EventPublisher,
  topics: TopicNames,
  registry: Registry,
): (records: ConsumedRecord<Invocation>[]) => Promise<void> {
  const inspected = new Counter({
    name: 'llmops_guardrail_monitor_invocations_total',
    help: "Invocations inspected, by path: recorded (the gateway's decisions), evaluated (detect-mode rules), unevaluated (reported, but no rules)",
    labelNames: ['path'],
    registers: [registry],
  });
  const found = new Counter({
    name: 'llmops_guardrail_monitor_findings_total',
    help: 'Guardrail findings written, by mode and outcome (a redelivered batch counts again)',
    labelNames: ['mode', 'outcome'],
    registers: [registry],
  });
  return async (records) => {
    const findings = [];
    const events = [];
    const counted = [];
    for (const { value: inv } of records) {
      const result = await monitor.inspect(inv);
      counted.push(result);
      for (const f of result.findings)
        findings.push({
          key: `${f.tenant_id}/${f.event_id}`,
          value: guardrailFindingCodec.encode(f),
          headers: { [FINDING_ID_HEADER]: f.finding_id },
        });
      for (const e of result.securityEvents)
        events.push({
          key: e.tenant_id,
          value: securityEventCodec.encode(e),
          headers: { [EVENT_ID_HEADER]: e.event_id },
        });
    }
    await Promise.all([
      findings.length > 0 ? publisher.publish(topics.guardrailFindings, findings) : undefined,
      events.length > 0 ? publisher.publish(topics.securityEvents, events) : undefined,
    ]);
    for (const r of counted) {
      inspected.inc({ path: r.path });
      for (const f of r.findings) found.inc({ mode: f.mode, outcome: f.outcome });
    }
  };
}
