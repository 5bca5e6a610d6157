import {
  securityEventCodec,
  stableHexId,
  type Invocation,
  type PiiFinding,
  type SecurityEvent,
  type SecuritySeverity,
} from '@llmops/contracts';
import { CHECKSUM_TYPES, SECRET_TYPES, type PiiType } from '@llmops/pii';

/** Rule id carried by every exposure event, so a SOC can route on it. */
export const EXPOSURE_RULE_ID = 'llmops.pii.external-exposure';

const SEVERITY_ORDER: SecuritySeverity[] = ['unknown', 'info', 'low', 'medium', 'high', 'critical'];

/** Low-sensitivity identifiers: on their own they rarely identify a person. */
const LOW: ReadonlySet<string> = new Set(['IP_ADDRESS', 'MAC_ADDRESS']);

/**
 * Severity of one entity type when it reached an external model: a secret
 * grants access (critical); a checksum-backed financial or national id is
 * a regulated identifier (high); contact details, names, addresses and dates
 * of birth identify a person (medium); network identifiers (low).
 */
export function severityOf(type: string): SecuritySeverity {
  if (SECRET_TYPES.includes(type as PiiType)) return 'critical';
  if (CHECKSUM_TYPES.includes(type as PiiType)) return 'high';
  if (LOW.has(type)) return 'low';
  return 'medium';
}

/**
 * The security event for PII or secrets found in content sent to an external
 * endpoint, or undefined when there is nothing to report. One event per
 * invocation; its id derives from the invocation's, so a redelivered
 * invocation yields the identical event (SIEM dedupe on `event_id`).
 */
export function exposureEvent(
  inv: Invocation,
  findings: PiiFinding[],
  engineVersion: string,
): SecurityEvent | undefined {
  if (inv.endpoint.kind !== 'external' || findings.length === 0) return undefined;
  const types = [...new Set(findings.map((f) => f.type))].sort();
  const severity = types
    .map(severityOf)
    .reduce(
      (a, b) => (SEVERITY_ORDER.indexOf(b) > SEVERITY_ORDER.indexOf(a) ? b : a),
      'info' as SecuritySeverity,
    );
  const hasSecret = types.some((t) => SECRET_TYPES.includes(t as PiiType));
  const hasPii = types.some((t) => !SECRET_TYPES.includes(t as PiiType));
  // What the endpoint received is the gateway's to say for calls it proxied: under its PII
  // policy the values were replaced before the call, or the call was refused.
  const policy = inv.gateway?.pii_action;
  const outcome =
    policy === 'block'
      ? 'blocked'
      : policy === 'redact' || policy === 'restore'
        ? 'redacted'
        : 'allowed';
  // fromJson fills every field left out with its schema default (null, []).
  return securityEventCodec.fromJson({
    event_id: stableHexId(EXPOSURE_RULE_ID, inv.tenant_id, inv.event_id),
    time_ms: inv.start_time_ms,
    category: 'sensitive_data_exposure',
    severity,
    // allowed: the content reached the model (the platform stored only the redacted copy).
    outcome,
    tenant_id: inv.tenant_id,
    reporter: 'pii-scanner',
    actor: {
      user_id: inv.user_id,
      app_id: inv.app_id,
      agent_id: inv.agent_id,
      agent_name: inv.agent_name,
    },
    target: {
      provider: inv.provider_name,
      model: inv.request_model,
      operation: inv.operation,
      endpoint_host: inv.endpoint.host,
      endpoint_kind: 'external',
    },
    invocation_id: inv.event_id,
    trace_id: inv.trace_id,
    span_id: inv.span_id,
    rule: {
      id: EXPOSURE_RULE_ID,
      name: 'PII or secret sent to an external model endpoint',
      type: 'data_exposure',
      policy: policy ? `gateway.pii.${policy}` : null,
      version: engineVersion,
    },
    sensitive_data: {
      classes: [...(hasPii ? (['pii'] as const) : []), ...(hasSecret ? (['secret'] as const) : [])],
      entity_types: types,
      finding_count: findings.length,
      finding_ids: findings.map((f) => f.finding_id).sort(),
      fields: [...new Set(findings.map((f) => f.field))].sort(),
      max_confidence: Math.max(...findings.map((f) => f.confidence)),
    },
  });
}
