import { INVOCATION_LIMITS, type FieldError, type Invocation } from '@llmops/contracts';
import { MAX_TOKENS, toInvocation } from './event-input';

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
const DAY_MS = 86_400_000;
const TENANT = 'tenant-a';

/** The smallest event a client may send. */
function event(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    app_id: 'support-bot',
    operation: 'chat',
    provider_name: 'openai',
    request_model: 'gpt-4o',
    start_time_ms: NOW - 1_000,
    ...overrides,
  };
}

function convert(input: unknown, prefix = '') {
  const errors: FieldError[] = [];
  const value = toInvocation(input, TENANT, NOW, prefix, errors);
  return { value, errors, paths: errors.map((e) => e.path) };
}

/** Converts an event that must be valid. */
function valid(overrides: Record<string, unknown> = {}): Invocation {
  const { value, errors } = convert(event(overrides));
  expect(errors).toEqual([]);
  if (!value) throw new Error('expected a valid invocation');
  return value;
}

/** Converts an event that must be refused; returns its errors. */
function invalid(overrides: Record<string, unknown>, prefix = ''): FieldError[] {
  const { value, errors } = convert(event(overrides), prefix);
  expect(value).toBeUndefined();
  expect(errors.length).toBeGreaterThan(0);
  return errors;
}

describe('toInvocation', () => {
  describe('fills what the client left out', () => {
    it('gives the event a random UUID', () => {
      const a = valid();
      const b = valid();
      expect(a.event_id).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(a.event_id).not.toBe(b.event_id);
    });

    it('gives the event a random W3C trace id', () => {
      const a = valid();
      expect(a.trace_id).toMatch(/^[0-9a-f]{32}$/);
      expect(a.trace_id).not.toBe(valid().trace_id);
    });

    it('stamps the receive time and the tenant of the key', () => {
      const inv = valid();
      expect(inv.received_at_ms).toBe(NOW);
      expect(inv.tenant_id).toBe(TENANT);
    });

    it('keeps the ids the client sent', () => {
      const inv = valid({
        event_id: '0b7c3f2e-1a43-4c52-9f1d-2d1f2e3a4b5c',
        trace_id: '0af7651916cd43dd8448eb211c80319c',
        span_id: 'b7ad6b7169203331',
        parent_span_id: '00f067aa0ba902b7',
      });
      expect(inv).toMatchObject({
        event_id: '0b7c3f2e-1a43-4c52-9f1d-2d1f2e3a4b5c',
        trace_id: '0af7651916cd43dd8448eb211c80319c',
        span_id: 'b7ad6b7169203331',
        parent_span_id: '00f067aa0ba902b7',
      });
    });

    it('fills the contract defaults', () => {
      const inv = valid();
      expect(inv).toMatchObject({
        status: 'ok',
        error_type: null,
        input_messages: [],
        usage: { input_tokens: 0, output_tokens: 0, cached_input_tokens: 0, reasoning_tokens: 0 },
        endpoint: { host: null, kind: 'external' },
        labels: {},
        redaction: null,
      });
    });

    it('accepts a tenant_id equal to the key tenant', () => {
      expect(valid({ tenant_id: TENANT }).tenant_id).toBe(TENANT);
    });

    it('completes the parsed body in place into the record it returns (no copy)', () => {
      const input = event({ labels: { team: 'care' } });
      const before = structuredClone(input);
      const out = convert(input).value!;
      expect(out).toBe(input);
      expect(out).toMatchObject({ ...before, tenant_id: TENANT, received_at_ms: NOW });
    });
  });

  describe('refuses what only the platform may set', () => {
    it.each([
      ['received_at_ms', 1],
      ['redaction', null],
      ['gateway', null],
      ['source', 'gateway'],
      ['guardrails', []],
    ])('refuses %s', (field, value) => {
      const errors = invalid({ [field]: value });
      expect(errors).toContainEqual({ path: field, message: 'is set by the platform; remove it' });
    });

    it('refuses a tenant_id other than the key tenant', () => {
      const errors = invalid({ tenant_id: 'tenant-b' });
      expect(errors).toEqual([
        {
          path: 'tenant_id',
          message: 'does not match the tenant of the API key; omit it (the key decides the tenant)',
        },
      ]);
    });
  });

  describe('applies the rules the schema cannot express', () => {
    it('accepts cached tokens equal to input tokens and reasoning tokens equal to output tokens', () => {
      const inv = valid({
        usage: { input_tokens: 10, cached_input_tokens: 10, output_tokens: 5, reasoning_tokens: 5 },
      });
      expect(inv.usage.cached_input_tokens).toBe(10);
      expect(inv.usage.reasoning_tokens).toBe(5);
    });

    it('refuses more cached tokens than input tokens', () => {
      const errors = invalid({ usage: { input_tokens: 10, cached_input_tokens: 11 } });
      expect(errors).toEqual([
        {
          path: 'usage.cached_input_tokens',
          message: 'cannot exceed usage.input_tokens (input_tokens includes cached tokens)',
        },
      ]);
    });

    it('refuses more reasoning tokens than output tokens', () => {
      const errors = invalid({ usage: { output_tokens: 3, reasoning_tokens: 4 } });
      expect(errors.map((e) => e.path)).toEqual(['usage.reasoning_tokens']);
    });

    it.each(['input_tokens', 'output_tokens', 'cached_input_tokens', 'reasoning_tokens'])(
      'refuses a negative %s',
      (name) => {
        const errors = invalid({ usage: { [name]: -1 } });
        expect(errors).toContainEqual({
          path: `usage.${name}`,
          message: `must be between 0 and ${MAX_TOKENS} (got -1)`,
        });
      },
    );

    it('accepts the largest plausible token count and refuses one more', () => {
      expect(valid({ usage: { input_tokens: MAX_TOKENS } }).usage.input_tokens).toBe(MAX_TOKENS);
      const errors = invalid({ usage: { input_tokens: MAX_TOKENS + 1 } });
      expect(errors.map((e) => e.path)).toEqual(['usage.input_tokens']);
    });

    it('accepts a start time from 2000-01-01 up to one day ahead', () => {
      expect(valid({ start_time_ms: Date.UTC(2000, 0, 1) }).start_time_ms).toBe(
        Date.UTC(2000, 0, 1),
      );
      expect(valid({ start_time_ms: NOW + DAY_MS }).start_time_ms).toBe(NOW + DAY_MS);
    });

    it.each([
      ['before 2000', Date.UTC(2000, 0, 1) - 1],
      ['in seconds rather than milliseconds', Math.floor(NOW / 1000)],
      ['more than a day ahead', NOW + DAY_MS + 1],
      ['in microseconds', NOW * 1000],
    ])('refuses a start time %s', (_what, start) => {
      expect(invalid({ start_time_ms: start })).toEqual([
        {
          path: 'start_time_ms',
          message: 'must be epoch milliseconds between 2000-01-01 and one day from now',
        },
      ]);
    });

    it.each(['duration_ms', 'time_to_first_token_ms'])(
      'refuses a negative or longer-than-a-week %s',
      (field) => {
        expect(valid({ [field]: 7 * DAY_MS })[field as keyof Invocation]).toBe(7 * DAY_MS);
        expect(invalid({ [field]: -1 }).map((e) => e.path)).toEqual([field]);
        expect(invalid({ [field]: 7 * DAY_MS + 1 }).map((e) => e.path)).toEqual([field]);
      },
    );

    it.each([
      ['event_id', 'has space'],
      ['event_id', 'x'.repeat(129)],
      ['event_id', 'not-a-uuid'],
      ['event_id', 'evt-1'],
      ['event_id', '0b7c3f2e1a434c529f1d2d1f2e3a4b5c'],
      ['event_id', '{0b7c3f2e-1a43-4c52-9f1d-2d1f2e3a4b5c}'],
      ['event_id', '00000000-0000-0000-0000-000000000000'],
      ['trace_id', '00000000000000000000000000000000'],
      ['span_id', '0000000000000000'],
      ['app_id', 'a/b'],
      ['app_id', ''],
      ['trace_id', '0AF7651916CD43DD8448EB211C80319C'],
      ['trace_id', '0af7651916cd43dd8448eb211c80319'],
      ['span_id', 'b7ad6b716920333'],
      ['span_id', 'b7ad6b7169203331-'],
      ['parent_span_id', 'zzzzzzzzzzzzzzzz'],
    ])('refuses the malformed %s %j', (field, value) => {
      expect(invalid({ [field]: value }).map((e) => e.path)).toEqual([field]);
    });

    it('accepts app ids of letters, digits and . _ : - up to 128 characters', () => {
      const id = `a.b_c:d-${'9'.repeat(120)}`;
      expect(valid({ app_id: id }).app_id).toBe(id);
    });

    it('lowercases an event id sent in capitals (UUIDs are case-insensitive)', () => {
      expect(valid({ event_id: '0B7C3F2E-1A43-4C52-9F1D-2D1F2E3A4B5C' }).event_id).toBe(
        '0b7c3f2e-1a43-4c52-9f1d-2d1f2e3a4b5c',
      );
    });

    it.each([
      ['provider_name', ''],
      ['provider_name', 'p'.repeat(65)],
      ['request_model', ''],
      ['request_model', 'm'.repeat(257)],
    ])('refuses %s of length %#', (field, value) => {
      expect(invalid({ [field]: value }).map((e) => e.path)).toEqual([field]);
    });

    it("refuses an error_type when status is 'ok'", () => {
      expect(invalid({ status: 'ok', error_type: 'timeout' })).toEqual([
        { path: 'error_type', message: "must be absent when status is 'ok'" },
      ]);
    });

    it("accepts an error_type when status is 'error'", () => {
      expect(valid({ status: 'error', error_type: 'timeout' }).error_type).toBe('timeout');
    });

    it('reports every problem of an event at once', () => {
      const { paths } = convert(
        event({
          app_id: 'a b',
          trace_id: 'nope',
          usage: { input_tokens: 1, cached_input_tokens: 2 },
          error_type: 'x',
          received_at_ms: 1,
        }),
      );
      expect(paths.sort()).toEqual(
        ['app_id', 'error_type', 'received_at_ms', 'trace_id', 'usage.cached_input_tokens'].sort(),
      );
    });
  });

  describe('enforces INVOCATION_LIMITS', () => {
    const L = INVOCATION_LIMITS;
    const labels = (n: number) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
    const messages = (n: number) => Array.from({ length: n }, () => ({ role: 'user' }));
    const tools = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `t${i}` }));

    it('accepts every limit at its bound', () => {
      const inv = valid({
        labels: { ...labels(L.maxLabels - 1), ['k'.repeat(L.labelKeyMaxChars)]: 'v'.repeat(1_024) },
        input_messages: messages(L.maxMessages),
        tool_calls: tools(L.maxToolCalls),
        request: { temperature: L.maxTemperature, top_p: 1, max_tokens: L.maxTokens },
        user_id: 'u'.repeat(L.refMaxChars),
        system_instructions: 'emoji \u{1F600} and a pair \ud83d\ude00 are fine',
      });
      expect(Object.keys(inv.labels)).toHaveLength(L.maxLabels);
    });

    it.each<[string, Record<string, unknown>, string, RegExp]>([
      [
        'too many labels',
        { labels: labels(L.maxLabels + 1) },
        'labels',
        /at most 64 labels \(has 65\)/,
      ],
      [
        'a label key too long',
        { labels: { ['k'.repeat(129)]: 'v' } },
        'labels[#0]',
        /1-128 characters/,
      ],
      [
        'a label key with a space',
        { labels: { 'a b': 'v' } },
        'labels[#0]',
        /starting with a letter or digit/,
      ],
      [
        'a label value too long',
        { labels: { team: 'v'.repeat(1_025) } },
        'labels.team',
        /at most 1024 characters/,
      ],
      [
        'too many input messages',
        { input_messages: messages(L.maxMessages + 1) },
        'input_messages',
        /at most 1000 messages/,
      ],
      [
        'too many output messages',
        { output_messages: messages(L.maxMessages + 1) },
        'output_messages',
        /at most 1000 messages/,
      ],
      [
        'a malformed role',
        { input_messages: [{ role: '' }] },
        'input_messages[0].role',
        /1-32 characters/,
      ],
      [
        'too many tool calls',
        { tool_calls: tools(L.maxToolCalls + 1) },
        'tool_calls',
        /at most 256 tool calls/,
      ],
      [
        'an empty tool name',
        { tool_calls: [{ name: '' }] },
        'tool_calls[0].name',
        /1-128 characters/,
      ],
      ['a user id too long', { user_id: 'u'.repeat(257) }, 'user_id', /1-256 characters/],
      ['an empty agent id', { agent_id: '' }, 'agent_id', /1-256 characters/],
      ['a response model too long', { response_model: 'm'.repeat(257) }, 'response_model', /1-256/],
      [
        'an error message too long',
        { status: 'error', error_message: 'e'.repeat(4_097) },
        'error_message',
        /0-4096/,
      ],
      [
        'a temperature above 2',
        { request: { temperature: 2.5 } },
        'request.temperature',
        /between 0 and 2/,
      ],
      [
        'a negative max_tokens',
        { request: { max_tokens: -1 } },
        'request.max_tokens',
        /between 0 and/,
      ],
      [
        'a first token after the end',
        { duration_ms: 10, time_to_first_token_ms: 11 },
        'time_to_first_token_ms',
        /cannot exceed duration_ms/,
      ],
      [
        'fractional tokens',
        { usage: { input_tokens: 1.5 } },
        'usage.input_tokens',
        /must be an integer \(got number 1.5\)/,
      ],
      [
        'tokens beyond 2^53',
        { usage: { input_tokens: 2 ** 60 } },
        'usage.input_tokens',
        /at most 2\^53 - 1/,
      ],
      [
        'a NUL character',
        { input_messages: [{ role: 'user', content: 'a\u0000b' }] },
        'input_messages[0].content',
        /NUL character \(U\+0000\) at character 1/,
      ],
      [
        'a lone surrogate',
        { system_instructions: 'cut \ud83d' },
        'system_instructions',
        /unpaired UTF-16 surrogate at character 4/,
      ],
      [
        'a lone low surrogate in a label',
        { labels: { team: '\ude00' } },
        'labels.team',
        /unpaired UTF-16 surrogate/,
      ],
    ])('refuses %s', (_what, overrides, path, message) => {
      const errors = invalid(overrides);
      expect(errors.map((e) => e.path)).toContain(path);
      expect(errors.find((e) => e.path === path)!.message).toMatch(message);
    });

    it('never echoes an unknown field name that is not a plain name', () => {
      const errors = invalid({ 'Jane Doe <jane.doe@example.com>': 1 });
      expect(errors).toEqual([{ path: '[#5]', message: 'is not a known field' }]);
      expect(JSON.stringify(errors)).not.toContain('jane');
    });
  });

  describe('inside a batch', () => {
    it('prefixes contract and platform errors with the item path, checking semantics only once the event is well-formed', () => {
      const { value, paths } = convert(
        event({
          app_id: undefined,
          tenant_id: 'other',
          usage: { output_tokens: 1, reasoning_tokens: 2 },
        }),
        '[3]',
      );
      expect(value).toBeUndefined();
      expect(paths.sort()).toEqual(['[3].app_id', '[3].tenant_id']);
    });

    it('prefixes semantic errors with the item path', () => {
      const errors = invalid({ usage: { output_tokens: 1, reasoning_tokens: 2 } }, '[7]');
      expect(errors.map((e) => e.path)).toEqual(['[7].usage.reasoning_tokens']);
    });

    it.each([
      ['null', null],
      ['an array', [event()]],
      ['a string', 'event'],
      ['a number', 1],
    ])('names the item itself when it is %s', (_what, item) => {
      const { value, errors } = convert(item, '[0]');
      expect(value).toBeUndefined();
      expect(errors).toEqual([
        { path: '[0]', message: 'must be a JSON object (an invocation event)' },
      ]);
    });

    it('adds to the errors of earlier items rather than replacing them', () => {
      const errors: FieldError[] = [];
      toInvocation(event({ app_id: 'a b' }), TENANT, NOW, '[0]', errors);
      const ok = toInvocation(event(), TENANT, NOW, '[1]', errors);
      toInvocation(event({ trace_id: 'x' }), TENANT, NOW, '[2]', errors);
      expect(ok).toBeDefined();
      expect(errors.map((e) => e.path)).toEqual(['[0].app_id', '[2].trace_id']);
    });
  });

  describe('never echoes a long string value in an error (it may be PII)', () => {
    const pii = 'Contact Jane Doe at jane.doe@example.com or +1 415 555 0100 about card 4111';
    const piiFields: Array<[string, Record<string, unknown>]> = [
      ['event_id', { event_id: pii }],
      ['app_id', { app_id: pii }],
      ['trace_id', { trace_id: pii }],
      ['span_id', { span_id: pii }],
      ['parent_span_id', { parent_span_id: pii }],
      ['operation', { operation: pii }],
      ['status', { status: pii }],
      ['provider_name', { provider_name: pii.repeat(2) }],
      ['request_model', { request_model: pii.repeat(4) }],
      ['tenant_id', { tenant_id: pii }],
      ['start_time_ms', { start_time_ms: pii }],
      ['usage.input_tokens', { usage: { input_tokens: pii } }],
      ['input_messages', { input_messages: pii }],
      ['input_messages[0].content', { input_messages: [{ role: 'user', content: 42 }, pii] }],
      ['endpoint.kind', { endpoint: { kind: pii } }],
      ['labels', { labels: { team: 1, owner: pii } }],
      ['error_type (status ok)', { error_type: pii }],
      ['system_instructions', { system_instructions: ['x', pii] }],
    ];

    it.each(piiFields)('in %s', (_field, overrides) => {
      const errors = invalid(overrides);
      const text = JSON.stringify(errors);
      expect(text).not.toContain('jane.doe@example.com');
      expect(text).not.toContain('Jane Doe');
      expect(text).not.toContain('555');
    });
  });
});
