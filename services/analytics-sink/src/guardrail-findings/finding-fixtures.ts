import { randomUUID } from 'node:crypto';
import { stableHexId, type GuardrailFinding } from '@llmops/contracts';

/**
 * A complete, valid guardrail finding for tests (unit and integration), of a fresh invocation
 * unless `event_id` is given; its `finding_id` derives from event id, stage and rule as the
 * guardrail-monitor's does.
 */
export function guardrailFinding(overrides: Partial<GuardrailFinding> = {}): GuardrailFinding {
  const base: GuardrailFinding = {
    finding_id: '',
    event_id: randomUUID(),
    tenant_id: 'tenant-a',
    app_id: 'support-bot',
    user_id: 'user-1',
    agent_id: null,
    agent_name: null,
    trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
    span_id: '00f067aa0ba902b7',
    time_ms: Date.UTC(2025, 2, 14, 9, 26, 53, 589),
    rule_id: 'prompt-injection',
    rule_revision: 2,
    stage: 'input',
    action: 'block',
    severity: 'high',
    outcome: 'violated',
    mode: 'detect',
    source: 'event_api',
    detail: 'phrases[0] found in messages[1]',
    duration_us: 14,
    tool_name: null,
    operation: 'chat',
    provider_name: 'openai',
    request_model: 'gpt-4o-mini',
    endpoint_host: 'api.openai.com',
    endpoint_kind: 'external',
    ...overrides,
  };
  return {
    ...base,
    finding_id:
      overrides.finding_id ??
      stableHexId(base.event_id, base.stage, base.rule_id, base.rule_revision),
  };
}
