import { stableHexId, type GuardrailFinding, type Invocation } from '@llmops/contracts';
import type { LocatedDecision } from './decisions';

/**
 * The stable id of a decision on an invocation: a rule decides once per stage of a call, so
 * event id, stage, rule and revision name it; a redelivered invocation yields the same id, and
 * a new revision of the rule (which may decide otherwise) a new one.
 */
export function guardrailFindingId(
  eventId: string,
  stage: string,
  ruleId: string,
  revision: number,
): string {
  return stableHexId(eventId, stage, ruleId, revision);
}

/** The finding record of one decision: the decision as made, and who and what it was about. */
export function toFinding(
  inv: Invocation,
  { decision: d, toolName }: LocatedDecision,
): GuardrailFinding {
  return {
    finding_id: guardrailFindingId(inv.event_id, d.stage, d.rule_id, d.rule_revision),
    event_id: inv.event_id,
    tenant_id: inv.tenant_id,
    app_id: inv.app_id,
    user_id: inv.user_id,
    agent_id: inv.agent_id,
    agent_name: inv.agent_name,
    trace_id: inv.trace_id,
    span_id: inv.span_id,
    time_ms: inv.start_time_ms,
    rule_id: d.rule_id,
    rule_revision: d.rule_revision,
    stage: d.stage,
    action: d.action,
    severity: d.severity,
    outcome: d.outcome,
    mode: d.mode,
    source: inv.source,
    detail: d.detail,
    duration_us: d.duration_us,
    tool_name: toolName,
    operation: inv.operation,
    provider_name: inv.provider_name,
    request_model: inv.request_model,
    endpoint_host: inv.endpoint.host,
    endpoint_kind: inv.endpoint.kind,
  };
}
