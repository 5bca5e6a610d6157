import { randomUUID } from 'node:crypto';
import { invocationCodec, type Invocation } from '@llmops/contracts';
import { loadRules, type Rule } from '@llmops/guardrails';

/**
 * A raw invocation for tests (unit and integration), as the ingress writes it for the event
 * API unless overridden: a fresh event id, the schema's defaults for what is not given.
 */
export function rawInvocation(overrides: Partial<Invocation> = {}): Invocation {
  return {
    ...invocationCodec.fromJson({
      event_id: randomUUID(),
      tenant_id: 'acme',
      app_id: 'support-bot',
      user_id: 'u-1842',
      trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
      span_id: '00f067aa0ba902b7',
      operation: 'chat',
      provider_name: 'openai',
      request_model: 'gpt-4o-mini',
      endpoint: { host: 'api.openai.com', kind: 'external' },
      start_time_ms: Date.UTC(2025, 2, 14, 9, 26, 53, 589),
      received_at_ms: Date.UTC(2025, 2, 14, 9, 26, 54, 0),
      source: 'event_api',
      input_messages: [{ role: 'user', content: 'Where is my order?' }],
      output_messages: [{ role: 'assistant', content: 'It ships today.' }],
    }),
    ...overrides,
  };
}

/** Rules of every stage, for the monitor's tests. */
export const TEST_RULES_YAML = `
rules:
  - id: prompt-injection
    stage: input
    check: { type: phrases, phrases: [ignore previous instructions, reveal your system prompt] }
    action: block
    severity: high
    revision: 2
  - id: cloud-keys
    stage: input
    check: { type: regex, pattern: '\\bAKIA[0-9A-Z]{16}\\b', must: not_match, name: aws-access-key }
    action: redact
    severity: critical
  - id: no-exfiltration
    stage: output
    check: { type: urls, deny_domains: [pastebin.com] }
    action: block
    severity: critical
  - id: chatty
    stage: output
    check: { type: phrases, phrases: [as an ai language model] }
    action: log
    severity: info
  - id: agent-tools
    stage: tool_call
    check: { type: tool_allowlist, tools: [search_kb, create_ticket] }
    action: block
    severity: high
  - id: poisoned-documents
    stage: retrieval
    check:
      type: all
      checks:
        - { type: phrases, phrases: [ignore previous instructions] }
        - { type: urls, deny_domains: [attacker.example] }
    action: warn
    severity: medium
`;

export function testRules(): Rule[] {
  return loadRules(TEST_RULES_YAML, 'test-rules.yaml');
}
