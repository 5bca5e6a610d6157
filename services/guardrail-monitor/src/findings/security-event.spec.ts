import { securityEventCodec, type GuardrailFinding } from '@llmops/contracts';
import { toOcsf } from '@llmops/siem';
import { guardrailFindingId } from './finding';
import { isSecurityRelevant, outcomeOf, securityEventOf } from './security-event';

function finding(overrides: Partial<GuardrailFinding> = {}): GuardrailFinding {
  const f: GuardrailFinding = {
    finding_id: guardrailFindingId(
      '0b7c3f2e-1a43-4c52-9f1d-2d1f2e3a4b5c',
      'input',
      'prompt-injection',
      2,
    ),
    event_id: '0b7c3f2e-1a43-4c52-9f1d-2d1f2e3a4b5c',
    tenant_id: 'acme',
    app_id: 'support-bot',
    user_id: 'u-1842',
    agent_id: 'ops-agent',
    agent_name: 'Ops agent',
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
  };
  return { ...f, ...overrides };
}

describe('the security event of a guardrail finding', () => {
  it.each([
    ['detect', 'block', 'violated', 'allowed'],
    ['detect', 'redact', 'error_blocked', 'allowed'],
    ['enforce', 'block', 'violated', 'blocked'],
    ['enforce', 'redact', 'violated', 'redacted'],
    ['enforce', 'warn', 'violated', 'allowed'],
    ['enforce', 'log', 'violated', 'allowed'],
    ['enforce', 'warn', 'error_blocked', 'blocked'],
  ] as const)('in mode %s, a %s rule that %s is %s', (mode, action, outcome, expected) => {
    expect(outcomeOf(finding({ mode, action, outcome }))).toBe(expected);
  });

  it('is raised from the minimum severity up, for unknown severity too, never for a check that failed open', () => {
    expect(isSecurityRelevant(finding({ severity: 'low' }), 'low')).toBe(true);
    expect(isSecurityRelevant(finding({ severity: 'info' }), 'low')).toBe(false);
    expect(isSecurityRelevant(finding({ severity: 'medium' }), 'high')).toBe(false);
    expect(isSecurityRelevant(finding({ severity: 'critical' }), 'high')).toBe(true);
    expect(isSecurityRelevant(finding({ severity: 'unknown' }), 'critical')).toBe(true);
    expect(isSecurityRelevant(finding({ outcome: 'error_blocked' }), 'low')).toBe(true);
    expect(isSecurityRelevant(finding({ outcome: 'error_passed' }), 'info')).toBe(false);
  });

  it('carries the rule, its revision and the redacted detail as evidence, and who and what it was about', () => {
    const e = securityEventOf(finding(), 'low')!;
    expect(e).toEqual(
      securityEventCodec.fromJson({
        event_id: e.event_id,
        time_ms: Date.UTC(2025, 2, 14, 9, 26, 53, 589),
        category: 'guardrail_violation',
        severity: 'high',
        outcome: 'allowed',
        tenant_id: 'acme',
        reporter: 'guardrail-monitor',
        actor: {
          user_id: 'u-1842',
          app_id: 'support-bot',
          agent_id: 'ops-agent',
          agent_name: 'Ops agent',
        },
        target: {
          provider: 'openai',
          model: 'gpt-4o-mini',
          operation: 'chat',
          endpoint_host: 'api.openai.com',
          endpoint_kind: 'external',
        },
        invocation_id: '0b7c3f2e-1a43-4c52-9f1d-2d1f2e3a4b5c',
        trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
        span_id: '00f067aa0ba902b7',
        rule: {
          id: 'prompt-injection',
          name: 'prompt-injection (phrases[0] found in messages[1])',
          type: 'guardrail.input',
          policy: 'guardrails.detect',
          version: '2',
        },
      }),
    );
    expect(e.event_id).toMatch(/^[0-9a-f]{32}$/);
    expect(() => securityEventCodec.encode(e)).not.toThrow();
  });

  it('has an id that is the same for the same finding and differs between findings', () => {
    const a = securityEventOf(finding(), 'low')!;
    expect(securityEventOf(finding(), 'low')!.event_id).toBe(a.event_id);
    const other = finding({
      finding_id: guardrailFindingId(a.invocation_id!, 'input', 'prompt-injection', 3),
    });
    expect(securityEventOf(other, 'low')!.event_id).not.toBe(a.event_id);
  });

  it('is a forbidden tool call for a tool_call rule, naming the tool, reported by the gateway when it enforced', () => {
    const e = securityEventOf(
      finding({ stage: 'tool_call', tool_name: 'delete_repo', mode: 'enforce', detail: null }),
      'low',
    )!;
    expect(e).toMatchObject({
      category: 'forbidden_tool_call',
      outcome: 'blocked',
      reporter: 'gateway',
      target: { tool_name: 'delete_repo' },
      rule: { name: 'prompt-injection', policy: 'guardrails.enforce' },
    });
  });

  it('becomes an OCSF Detection Finding that names the rule and the invocation', () => {
    const ocsf = toOcsf(securityEventOf(finding(), 'low')!) as Record<string, any>;
    expect(ocsf).toMatchObject({
      class_uid: 2004,
      type_uid: 200401,
      action: 'Allowed',
      finding_info: {
        title: 'Guardrail violation: prompt-injection (phrases[0] found in messages[1])',
        analytic: { uid: 'prompt-injection', version: '2' },
        related_events: [{ uid: '0b7c3f2e-1a43-4c52-9f1d-2d1f2e3a4b5c' }],
      },
    });
  });
});
