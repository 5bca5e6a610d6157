import {
  stableHexId,
  type Invocation,
  type PiiFinding,
  type SecurityEvent,
} from '@llmops/contracts';
import {
  PiiEngine,
  Redactor,
  DEFAULT_DESTINATION_POLICIES,
  scanFields,
  type DestinationPolicies,
} from '@llmops/pii';
import { exposureEvent } from './exposure-event';
import { textFields } from './text-fields';

/** Version of the engine and rules, recorded on every redacted copy. */
export const ENGINE_VERSION = 'llmops-pii/1';

export interface ScanResult {
  redacted: Invocation;
  findings: PiiFinding[];
  /** Set when PII or secrets went to an external endpoint. */
  exposure?: SecurityEvent;
}

/**
 * Scans every text field of an invocation and returns its redacted copy and
 * one finding record per hit. Pure: the same invocation always gives the
 * same output (finding ids derive from event id, field and offsets), so a
 * redelivered record produces identical records downstream.
 */
export class InvocationScanner {
  private readonly engine: PiiEngine;

  constructor(
    private readonly hmacKey: string,
    minScore: number,
    private readonly policies: DestinationPolicies = DEFAULT_DESTINATION_POLICIES,
  ) {
    this.engine = new PiiEngine({ minScore });
  }

  scan(inv: Invocation, now: number): ScanResult {
    const fields = textFields(inv);
    const policy = this.policies[inv.endpoint.kind];
    const redactor = new Redactor({ hmacKey: this.hmacKey, tenant: inv.tenant_id, policy });
    const result = scanFields(
      this.engine,
      redactor,
      fields.map(({ field, text }) => ({ field, text })),
      { key: this.hmacKey, tenant: inv.tenant_id },
    );
    const redacted = structuredClone(inv);
    result.fields.forEach((f, n) => fields[n]!.set(redacted, f.text));
    const findings: PiiFinding[] = result.findings.map((f) => ({
      finding_id: stableHexId(inv.event_id, f.field, f.start, f.end, f.type),
      event_id: inv.event_id,
      tenant_id: inv.tenant_id,
      app_id: inv.app_id,
      trace_id: inv.trace_id,
      type: f.type,
      field: f.field,
      start: f.start,
      end: f.end,
      confidence: f.score,
      rule: f.rule,
      value_hash: f.valueHash,
      endpoint_kind: inv.endpoint.kind,
      detected_at_ms: now,
    }));
    redacted.redaction = {
      finding_count: findings.length,
      types: [...new Set(findings.map((f) => f.type))].sort(),
      engine_version: ENGINE_VERSION,
    };
    const exposure = exposureEvent(inv, findings, ENGINE_VERSION);
    return exposure ? { redacted, findings, exposure } : { redacted, findings };
  }
}
