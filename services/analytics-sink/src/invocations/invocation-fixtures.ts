import type { Invocation } from '@llmops/contracts';
import { randomUUID } from 'node:crypto';

/** Deep-partial overrides for {@link redactedInvocation}. */
export type InvocationOverrides = Partial<Omit<Invocation, 'endpoint' | 'request' | 'usage'>> & {
  endpoint?: Partial<Invocation['endpoint']>;
  request?: Partial<Invocation['request']>;
  usage?: Partial<Invocation['usage']>;
};

/**
 * A complete, valid redacted invocation for tests (unit and integration),
 * with a fresh event id unless one is given.
 */
export function redactedInvocation(overrides: InvocationOverrides = {}): Invocation {
  const { endpoint, request, usage, ...rest } = overrides;
  return {
    event_id: randomUUID(),
    tenant_id: 'tenant-a',
    app_id: 'support-bot',
    user_id: 'user-1',
    agent_id: null,
    agent_name: null,
    agent_version: null,
    delegated_agent_id: null,
    delegated_agent_name: null,
    conversation_id: 'conv-1',
    trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
    span_id: '00f067aa0ba902b7',
    parent_span_id: null,
    operation: 'chat',
    provider_name: 'openai',
    request_model: 'gpt-4o-mini',
    response_model: 'gpt-4o-mini-2024-07-18',
    response_id: 'chatcmpl-1',
    endpoint: { host: 'api.openai.com', kind: 'external', ...endpoint },
    request: { temperature: 0.2, top_p: null, max_tokens: 256, stream: false, ...request },
    system_instructions: 'You are a helpful assistant.',
    input_messages: [
      {
        role: 'user',
        content: 'My email is [EMAIL_1], reset my password',
        name: null,
        tool_call_id: null,
      },
    ],
    output_messages: [
      { role: 'assistant', content: 'Done. A link was sent.', name: null, tool_call_id: null },
    ],
    tool_calls: [
      {
        id: 'call_1',
        name: 'reset_password',
        arguments: '{"user":"[EMAIL_1]"}',
        result: 'ok',
        type: 'function',
        duration_ms: 35,
      },
    ],
    retrievals: [],
    usage: {
      input_tokens: 120,
      output_tokens: 30,
      cached_input_tokens: 20,
      reasoning_tokens: 0,
      cache_creation_input_tokens: 0,
      ...usage,
    },
    finish_reasons: ['stop'],
    start_time_ms: Date.UTC(2025, 2, 14, 9, 26, 53, 589),
    duration_ms: 840,
    time_to_first_token_ms: 210,
    status: 'ok',
    error_type: null,
    error_message: null,
    gateway: null,
    source: 'event_api',
    guardrails: [],
    labels: { env: 'prod', team: 'support' },
    received_at_ms: Date.UTC(2025, 2, 14, 9, 26, 54, 500),
    redaction: { finding_count: 2, types: ['EMAIL'], engine_version: 'pii-1.0.0' },
    ...rest,
  };
}
