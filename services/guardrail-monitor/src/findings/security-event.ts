import {
  securityEventCodec,
  stableHexId,
  type GuardrailFinding,
  type SecurityEvent,
  type SecurityOutcome,
  type SecuritySeverity,
} from '@llmops/contracts';

/** Namespace of the security event ids derived from finding ids. */
export const GUARDRAIL_EVENT_NAMESPACE = 'llmops.guardrails';

const SEVERITY_RANK: Record<SecuritySeverity, number> = {
  unknown: 0,
  info: 1,
  low: 2,
  medium: 3,
  high: 4,
  critical: 5,
};

/**
 * Whether a finding is for the SOC: the check found what the rule forbids (`violated`) or failed
 * and blocked the call (`error_blocked`), at `minSeverity` or above. A check that failed open
 * (`error_passed`) is an operational fault of the rule, not a security event: it stays in
 * ClickHouse. A `warn` or `log` rule counts like any other: its severity, not its action, says
 * how much the SOC must hear of it (an `info` rule stays out by default). `unknown` severity (a
 * symbol of a newer schema) is reported: better one event too many than a violation unheard.
 */
export function isSecurityRelevant(f: GuardrailFinding, minSeverity: SecuritySeverity): boolean {
  if (f.outcome === 'error_passed') return false;
  return f.severity === 'unknown' || SEVERITY_RANK[f.severity] >= SEVERITY_RANK[minSeverity];
}

/**
 * What the platform did about it: a detect-mode finding stopped nothing (`allowed`); in the
 * gateway a failed fail-closed check or a violated `block` rule refused the call (`blocked`), a
 * violated `redact` rule replaced the text (`redacted`), `warn` and `log` let it through.
 */
export function outcomeOf(f: GuardrailFinding): SecurityOutcome {
  if (f.mode === 'detect') return 'allowed';
  if (f.outcome === 'error_blocked') return 'blocked';
  if (f.outcome !== 'violated') return 'allowed';
  if (f.action === 'block') return 'blocked';
  if (f.action === 'redact') return 'redacted';
  return 'allowed';
}

/**
 * The security event of a finding, or undefined when it is not for the SOC
 * ({@link isSecurityRelevant}). Its id derives from the finding's, so a redelivered invocation
 * yields the same event (SIEM dedupe on `event_id`). The evidence is the rule's id, revision and
 * the engine's detail, which never holds the text: `rule.name` is `<rule id> (<detail>)`, what
 * OCSF titles, CEF `reason` and ECS `rule.name` show.
 */
export function securityEventOf(
  f: GuardrailFinding,
  minSeverity: SecuritySeverity,
): SecurityEvent | undefined {
  if (!isSecurityRelevant(f, minSeverity)) return undefined;
  return securityEventCodec.fromJson({
    event_id: stableHexId(GUARDRAIL_EVENT_NAMESPACE, f.tenant_id, f.finding_id),
    time_ms: f.time_ms,
    category: f.stage === 'tool_call' ? 'forbidden_tool_call' : 'guardrail_violation',
    severity: f.severity,
    outcome: outcomeOf(f),
    tenant_id: f.tenant_id,
    // Who detected it: the gateway enforced its own decisions, the monitor made the others.
    reporter: f.mode === 'enforce' ? 'gateway' : 'guardrail-monitor',
    actor: {
      user_id: f.user_id,
      app_id: f.app_id,
      agent_id: f.agent_id,
      agent_name: f.agent_name,
    },
    target: {
      provider: f.provider_name,
      model: f.request_model,
      operation: f.operation,
      endpoint_host: f.endpoint_host,
      endpoint_kind: f.endpoint_kind,
      tool_name: f.tool_name,
    },
    invocation_id: f.event_id,
    trace_id: f.trace_id,
    span_id: f.span_id,
    rule: {
      id: f.rule_id,
      name: f.detail !== null ? `${f.rule_id} (${f.detail})` : f.rule_id,
      type: `guardrail.${f.stage}`,
      policy: `guardrails.${f.mode}`,
      version: String(f.rule_revision),
    },
  });
}
