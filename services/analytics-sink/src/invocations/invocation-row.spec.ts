import { redactedInvocation } from './invocation-fixtures';
import { InvalidInvocationError } from './invocation-errors';
import { INVOCATION_ROW_COLUMNS, toInvocationRow } from './invocation-row';

describe('toInvocationRow', () => {
  it("keeps the gateway's part of a proxied call as JSON, and the agent version and cache writes", () => {
    const gateway = {
      route: 'smart',
      upstream: 'backup',
      upstream_model: 'gpt-4.1',
      attempts: [
        { upstream: 'primary', model: 'gpt-4.1', outcome: 'http_500', duration_ms: 3 },
        { upstream: 'backup', model: 'gpt-4.1', outcome: 'ok', duration_ms: 40 },
      ],
      usage_source: 'reported' as const,
      pii_action: 'redact',
      pii_types: ['EMAIL'],
    };
    const row = toInvocationRow(
      redactedInvocation({
        gateway,
        agent_version: '2.1.0',
        usage: { input_tokens: 100, cached_input_tokens: 20, cache_creation_input_tokens: 30 },
      }),
    );
    expect(JSON.parse(row.gateway_json)).toEqual(gateway);
    expect(row.agent_version).toBe('2.1.0');
    expect(row.cache_creation_input_tokens).toBe(30);
  });

  it('keeps the way the record came in and its guardrail decisions', () => {
    const guardrails = [
      {
        rule_id: 'no-secrets',
        rule_revision: 2,
        stage: 'input' as const,
        action: 'block' as const,
        severity: 'high' as const,
        outcome: 'violated' as const,
        mode: 'enforce' as const,
        detail: 'AWS_ACCESS_KEY',
        duration_us: 40,
      },
    ];
    const row = toInvocationRow(redactedInvocation({ source: 'gateway', guardrails }));
    expect(row.source).toBe('gateway');
    expect(JSON.parse(row.guardrails_json)).toEqual(guardrails);
  });

  it('maps every field of a redacted invocation to its column', () => {
    const inv = redactedInvocation({ event_id: 'e-1' });
    expect(toInvocationRow(inv)).toEqual({
      event_id: 'e-1',
      tenant_id: 'tenant-a',
      app_id: 'support-bot',
      user_id: 'user-1',
      agent_id: '',
      agent_name: '',
      agent_version: '',
      conversation_id: 'conv-1',
      trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
      span_id: '00f067aa0ba902b7',
      parent_span_id: '',
      operation: 'chat',
      provider_name: 'openai',
      request_model: 'gpt-4o-mini',
      response_model: 'gpt-4o-mini-2024-07-18',
      response_id: 'chatcmpl-1',
      endpoint_host: 'api.openai.com',
      endpoint_kind: 'external',
      request_temperature: 0.2,
      request_top_p: null,
      request_max_tokens: 256,
      request_stream: 0,
      input_tokens: 120,
      output_tokens: 30,
      cached_input_tokens: 20,
      reasoning_tokens: 0,
      cache_creation_input_tokens: 0,
      finish_reasons: ['stop'],
      start_time: '2025-03-14 09:26:53',
      start_time_ms: Date.UTC(2025, 2, 14, 9, 26, 53, 589),
      duration_ms: 840,
      time_to_first_token_ms: 210,
      status: 'ok',
      error_type: '',
      error_message: '',
      'labels.key': ['env', 'team'],
      'labels.value': ['prod', 'support'],
      pii_finding_count: 2,
      pii_types: ['EMAIL'],
      redaction_engine_version: 'pii-1.0.0',
      system_instructions: 'You are a helpful assistant.',
      input_messages_json: JSON.stringify(inv.input_messages),
      output_messages_json: JSON.stringify(inv.output_messages),
      tool_calls_json: JSON.stringify(inv.tool_calls),
      retrievals_json: JSON.stringify(inv.retrievals),
      gateway_json: '',
      source: 'event_api',
      guardrails_json: '[]',
      received_at_ms: Date.UTC(2025, 2, 14, 9, 26, 54, 500),
    });
  });

  it('produces exactly the columns the writer names', () => {
    expect(Object.keys(toInvocationRow(redactedInvocation())).sort()).toEqual(
      [...INVOCATION_ROW_COLUMNS].sort(),
    );
  });

  it('keeps the redacted text as JSON that parses back to the messages', () => {
    const inv = redactedInvocation({
      input_messages: [
        {
          role: 'user',
          content: 'quote " backslash \\ nul \0 emoji 😀',
          name: null,
          tool_call_id: null,
        },
      ],
    });
    const row = toInvocationRow(inv);
    expect(JSON.parse(row.input_messages_json)).toEqual(inv.input_messages);
  });

  it('refuses an invocation that was not redacted, so raw text never reaches ClickHouse', () => {
    expect(() => toInvocationRow(redactedInvocation({ redaction: null }))).toThrow(
      /redaction is null: only redacted invocations may be stored/,
    );
  });

  it('writes absent optional strings as empty strings and absent durations as null', () => {
    const row = toInvocationRow(
      redactedInvocation({
        user_id: null,
        response_model: null,
        endpoint: { host: null },
        system_instructions: null,
        duration_ms: null,
        time_to_first_token_ms: null,
      }),
    );
    expect(row).toMatchObject({
      user_id: '',
      response_model: '',
      endpoint_host: '',
      system_instructions: '',
      duration_ms: null,
      time_to_first_token_ms: null,
    });
  });

  it('truncates start_time to the second in UTC and keeps the milliseconds separately', () => {
    const row = toInvocationRow(
      redactedInvocation({ start_time_ms: Date.UTC(2024, 11, 31, 23, 59, 59, 999) }),
    );
    expect(row.start_time).toBe('2024-12-31 23:59:59');
    expect(row.start_time_ms % 1000).toBe(999);
  });

  it('yields the same row for every copy of an event (labels sorted, PII types unique)', () => {
    const a = redactedInvocation({
      event_id: 'same',
      labels: { z: '1', a: '2' },
      redaction: { finding_count: 3, types: ['PHONE', 'EMAIL', 'PHONE'], engine_version: 'v' },
    });
    const b = { ...a, labels: { a: '2', z: '1' } };
    expect(toInvocationRow(a)).toEqual(toInvocationRow(b));
    expect(toInvocationRow(a)['labels.key']).toEqual(['a', 'z']);
    expect(toInvocationRow(a).pii_types).toEqual(['EMAIL', 'PHONE']);
  });

  it('stores request parameters a column cannot hold as null instead of rejecting', () => {
    const row = toInvocationRow(
      redactedInvocation({ request: { max_tokens: -1, temperature: NaN, stream: true } }),
    );
    expect(row).toMatchObject({
      request_max_tokens: null,
      request_temperature: null,
      request_stream: 1,
    });
  });

  it('lists every problem of an invocation it cannot store', () => {
    const inv = redactedInvocation({
      event_id: 'bad-1',
      start_time_ms: -1,
      usage: { input_tokens: -5, output_tokens: 1.5 },
      duration_ms: -3,
    });
    let caught: unknown;
    try {
      toInvocationRow(inv);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InvalidInvocationError);
    const err = caught as InvalidInvocationError;
    expect(err.retriable).toBe(false);
    expect(err.eventId).toBe('bad-1');
    expect(err.problems).toEqual([
      expect.stringMatching(/^start_time_ms -1 is outside/),
      'usage.input_tokens must be a non-negative integer (got -5)',
      'usage.output_tokens must be a non-negative integer (got 1.5)',
      'duration_ms must be a non-negative integer (got -3)',
    ]);
  });

  it('refuses start times DateTime cannot hold', () => {
    expect(() => toInvocationRow(redactedInvocation({ start_time_ms: 4_294_967_296_000 }))).toThrow(
      /start_time_ms/,
    );
    expect(
      toInvocationRow(redactedInvocation({ start_time_ms: 4_294_967_295_999 })).start_time,
    ).toBe('2106-02-07 06:28:15');
  });

  it('refuses an empty event_id or tenant_id', () => {
    expect(() => toInvocationRow(redactedInvocation({ event_id: '', tenant_id: '' }))).toThrow(
      /event_id is empty; tenant_id is empty/,
    );
  });
});
