import { randomUUID } from 'node:crypto';
import { INVOCATION_LIMITS as L, invocationCodec } from '@llmops/contracts';
import { readMessages, testKafka } from '@llmops/testing';
import { event, post, startHarness, type IngressHarness } from './ingress-harness';

/** A body sent as is: an object or array is sent as JSON, a string or bytes verbatim. */
type Body = unknown;

interface Row {
  /** What is wrong, as the test name says it. */
  what: string;
  body: () => Body;
  status: number;
  code: string;
  /** The path `details` must name; undefined for errors of the whole body. */
  path?: string;
  /** What the message for that path (or the error message) must say. */
  message?: RegExp;
}

const labels = (n: number) =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
const messages = (n: number) => Array.from({ length: n }, () => ({ role: 'user', content: 'hi' }));
/** JSON text of a valid event with `"<marker>"` replaced by `raw` (escapes JSON.stringify cannot write). */
const rawEvent = (field: string, raw: string) =>
  JSON.stringify(event({ [field]: '<marker>' })).replace('"<marker>"', raw);

/** One row per input rule of POST /v1/events (see INVOCATION_LIMITS). */
const rows: Row[] = [
  // ids
  {
    what: 'an event_id that is not a UUID',
    body: () => event({ event_id: 'not-a-uuid' }),
    status: 400,
    code: 'invalid_event',
    path: 'event_id',
    message: /must be a UUID/,
  },
  {
    what: 'two events of one batch with the same event_id',
    body: () => {
      const id = randomUUID();
      return [event({ event_id: id }), event(), event({ event_id: id.toUpperCase() })];
    },
    status: 400,
    code: 'invalid_event',
    path: '[2].event_id',
    message: /repeats the event_id of \[0\]/,
  },
  {
    what: 'the nil UUID as event_id',
    body: () => event({ event_id: '00000000-0000-0000-0000-000000000000' }),
    status: 400,
    code: 'invalid_event',
    path: 'event_id',
    message: /not the nil or max UUID/,
  },
  {
    what: 'a trace_id in capitals',
    body: () => event({ trace_id: '0AF7651916CD43DD8448EB211C80319C' }),
    status: 400,
    code: 'invalid_event',
    path: 'trace_id',
    message: /32 lowercase hex digits/,
  },
  {
    what: 'an all-zero trace_id',
    body: () => event({ trace_id: '0'.repeat(32) }),
    status: 400,
    code: 'invalid_event',
    path: 'trace_id',
    message: /not all zero/,
  },
  {
    what: 'a span_id of 15 hex digits',
    body: () => event({ span_id: 'b7ad6b716920333' }),
    status: 400,
    code: 'invalid_event',
    path: 'span_id',
    message: /16 lowercase hex digits/,
  },
  {
    what: 'a parent_span_id that is not hex',
    body: () => event({ parent_span_id: 'zzzzzzzzzzzzzzzz' }),
    status: 400,
    code: 'invalid_event',
    path: 'parent_span_id',
  },
  {
    what: 'an app_id with a slash',
    body: () => event({ app_id: 'a/b' }),
    status: 400,
    code: 'invalid_event',
    path: 'app_id',
    message: /1-128 characters of letters, digits/,
  },
  {
    what: 'an app_id over 128 characters',
    body: () => event({ app_id: 'a'.repeat(L.idMaxChars + 1) }),
    status: 400,
    code: 'invalid_event',
    path: 'app_id',
  },
  {
    what: 'a user_id over 256 characters',
    body: () => event({ user_id: 'u'.repeat(L.refMaxChars + 1) }),
    status: 400,
    code: 'invalid_event',
    path: 'user_id',
    message: /1-256 characters/,
  },
  {
    what: 'an empty conversation_id',
    body: () => event({ conversation_id: '' }),
    status: 400,
    code: 'invalid_event',
    path: 'conversation_id',
  },
  // names
  {
    what: 'a provider_name over 64 characters',
    body: () => event({ provider_name: 'p'.repeat(L.providerNameMaxChars + 1) }),
    status: 400,
    code: 'invalid_event',
    path: 'provider_name',
    message: /1-64 characters/,
  },
  {
    what: 'a request_model over 256 characters',
    body: () => event({ request_model: 'm'.repeat(L.modelMaxChars + 1) }),
    status: 400,
    code: 'invalid_event',
    path: 'request_model',
  },
  {
    what: 'an endpoint host over 255 characters',
    body: () => event({ endpoint: { host: 'h'.repeat(L.hostMaxChars + 1) } }),
    status: 400,
    code: 'invalid_event',
    path: 'endpoint.host',
  },
  {
    what: 'an error_message over 4096 characters',
    body: () => event({ status: 'error', error_message: 'e'.repeat(L.errorMessageMaxChars + 1) }),
    status: 400,
    code: 'invalid_event',
    path: 'error_message',
  },
  // labels
  {
    what: '10,000 labels',
    body: () => event({ labels: labels(10_000) }),
    status: 400,
    code: 'invalid_event',
    path: 'labels',
    message: /at most 64 labels \(has 10000\)/,
  },
  {
    what: 'a label key over 128 characters',
    body: () => event({ labels: { ['k'.repeat(L.labelKeyMaxChars + 1)]: 'v' } }),
    status: 400,
    code: 'invalid_event',
    path: 'labels[#0]',
    message: /1-128 characters/,
  },
  {
    what: 'a label key with spaces and an e-mail address',
    body: () => event({ labels: { 'owner jane.doe@example.com': 'v' } }),
    status: 400,
    code: 'invalid_event',
    path: 'labels[#0]',
    message: /starting with a letter or digit/,
  },
  {
    what: 'a label value over 1024 characters',
    body: () => event({ labels: { team: 'v'.repeat(L.labelValueMaxChars + 1) } }),
    status: 400,
    code: 'invalid_event',
    path: 'labels.team',
    message: /at most 1024 characters/,
  },
  {
    what: 'a label value that is not a string',
    body: () => event({ labels: { team: 7 } }),
    status: 400,
    code: 'invalid_event',
    path: 'labels.team',
    message: /must be a string/,
  },
  // lists
  {
    what: 'more than 1000 input messages',
    body: () => event({ input_messages: messages(L.maxMessages + 1) }),
    status: 400,
    code: 'invalid_event',
    path: 'input_messages',
    message: /at most 1000 messages \(has 1001\)/,
  },
  {
    what: 'more than 1000 output messages',
    body: () => event({ output_messages: messages(L.maxMessages + 1) }),
    status: 400,
    code: 'invalid_event',
    path: 'output_messages',
  },
  {
    what: 'a message without a role',
    body: () => event({ input_messages: [{ content: 'hi' }] }),
    status: 400,
    code: 'invalid_event',
    path: 'input_messages[0].role',
    message: /is required/,
  },
  {
    what: 'a message role with spaces',
    body: () => event({ input_messages: [{ role: 'the user', content: 'hi' }] }),
    status: 400,
    code: 'invalid_event',
    path: 'input_messages[0].role',
  },
  {
    what: 'more than 256 tool calls',
    body: () =>
      event({ tool_calls: Array.from({ length: L.maxToolCalls + 1 }, () => ({ name: 'search' })) }),
    status: 400,
    code: 'invalid_event',
    path: 'tool_calls',
    message: /at most 256 tool calls/,
  },
  {
    what: 'a tool call with an empty name',
    body: () => event({ tool_calls: [{ name: '' }] }),
    status: 400,
    code: 'invalid_event',
    path: 'tool_calls[0].name',
  },
  {
    what: 'more than 256 retrieved documents',
    body: () =>
      event({ retrievals: Array.from({ length: L.maxRetrievals + 1 }, () => ({ content: 'd' })) }),
    status: 400,
    code: 'invalid_event',
    path: 'retrievals',
  },
  {
    what: 'more than 16 finish reasons',
    body: () => event({ finish_reasons: Array.from({ length: 17 }, () => 'stop') }),
    status: 400,
    code: 'invalid_event',
    path: 'finish_reasons',
  },
  {
    what: 'messages that are not an array',
    body: () => event({ input_messages: { role: 'user' } }),
    status: 400,
    code: 'invalid_event',
    path: 'input_messages',
    message: /must be an array/,
  },
  // numbers
  {
    what: 'negative tokens',
    body: () => event({ usage: { input_tokens: -1 } }),
    status: 400,
    code: 'invalid_event',
    path: 'usage.input_tokens',
    message: /between 0 and 100000000/,
  },
  {
    what: 'fractional tokens',
    body: () => event({ usage: { input_tokens: 1.5 } }),
    status: 400,
    code: 'invalid_event',
    path: 'usage.input_tokens',
    message: /must be an integer/,
  },
  {
    what: 'tokens beyond 2^53',
    body: () =>
      JSON.stringify(event({ usage: '<marker>' })).replace(
        '"<marker>"',
        '{"input_tokens": 9007199254740993}',
      ),
    status: 400,
    code: 'invalid_event',
    path: 'usage.input_tokens',
    message: /at most 2\^53 - 1/,
  },
  {
    what: 'tokens as a string',
    body: () => event({ usage: { input_tokens: '12' } }),
    status: 400,
    code: 'invalid_event',
    path: 'usage.input_tokens',
    message: /must be an integer/,
  },
  {
    what: 'a negative max_tokens',
    body: () => event({ request: { max_tokens: -1 } }),
    status: 400,
    code: 'invalid_event',
    path: 'request.max_tokens',
  },
  {
    what: 'a temperature above 2',
    body: () => event({ request: { temperature: 3 } }),
    status: 400,
    code: 'invalid_event',
    path: 'request.temperature',
  },
  {
    what: 'a negative duration',
    body: () => event({ duration_ms: -1 }),
    status: 400,
    code: 'invalid_event',
    path: 'duration_ms',
  },
  {
    what: 'a first token after the end of the call',
    body: () => event({ duration_ms: 100, time_to_first_token_ms: 101 }),
    status: 400,
    code: 'invalid_event',
    path: 'time_to_first_token_ms',
  },
  // timestamps
  {
    what: 'a start time in seconds',
    body: () => event({ start_time_ms: Math.floor(Date.now() / 1000) }),
    status: 400,
    code: 'invalid_event',
    path: 'start_time_ms',
    message: /epoch milliseconds between 2000-01-01 and one day from now/,
  },
  {
    what: 'a start time two days ahead',
    body: () => event({ start_time_ms: Date.now() + 2 * 86_400_000 }),
    status: 400,
    code: 'invalid_event',
    path: 'start_time_ms',
  },
  {
    what: 'a start time as an ISO string',
    body: () => event({ start_time_ms: new Date().toISOString() }),
    status: 400,
    code: 'invalid_event',
    path: 'start_time_ms',
    message: /must be an integer/,
  },
  // text
  {
    what: 'an unpaired surrogate in a prompt',
    body: () => rawEvent('system_instructions', '"cut inside an emoji \\ud83d"'),
    status: 400,
    code: 'invalid_event',
    path: 'system_instructions',
    message: /unpaired UTF-16 surrogate at character 20/,
  },
  {
    what: 'a NUL character in a message',
    body: () => event({ input_messages: [{ role: 'user', content: 'a\u0000b' }] }),
    status: 400,
    code: 'invalid_event',
    path: 'input_messages[0].content',
    message: /NUL character/,
  },
  {
    what: 'bytes that are not UTF-8',
    body: () =>
      Buffer.concat([
        Buffer.from(JSON.stringify(event()).slice(0, -1) + ',"labels":{"a":"'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('"}}'),
      ]),
    status: 400,
    code: 'invalid_utf8',
    message: /not valid UTF-8: an invalid byte sequence starts at byte \d+/,
  },
  // JSON syntax: the position and the kind of error, never the body's text
  {
    what: 'a bare word in place of a value',
    body: () => '{"content": jane.doe@example.com}',
    status: 400,
    code: 'invalid_json',
    message:
      /^the body is not valid JSON: expected a value .* at line 1, column 13 \(character 12\)$/,
  },
  {
    what: 'a body cut inside a string',
    body: () =>
      '[{"app_id": "x",\n  "input_messages": [{"role": "user", "content": "jane.doe@example.com',
    status: 400,
    code: 'invalid_json',
    message: /unterminated string at line 2, column 50/,
  },
  // shape
  {
    what: 'a string where the event should be',
    body: () => '"hello"',
    status: 400,
    code: 'invalid_event',
    path: '',
    message: /must be a JSON object/,
  },
  {
    what: 'an unknown field',
    body: () => event({ prompt: 'x' }),
    status: 400,
    code: 'invalid_event',
    path: 'prompt',
    message: /is not a known field/,
  },
  {
    what: 'an unknown field whose name is not a name',
    body: () => event({ 'jane.doe@example.com': 'x' }),
    status: 400,
    code: 'invalid_event',
    path: '[#7]',
    message: /is not a known field/,
  },
  {
    what: 'an unknown operation',
    body: () => event({ operation: 'dance' }),
    status: 400,
    code: 'invalid_event',
    path: 'operation',
  },
  {
    what: 'a bad event inside a batch',
    body: () => [event(), event({ event_id: 'evt-2' })],
    status: 400,
    code: 'invalid_event',
    path: '[1].event_id',
  },
  {
    what: 'JSON nested deeper than allowed',
    body: () => event({ labels: JSON.parse('['.repeat(20) + ']'.repeat(20)) as unknown }),
    status: 400,
    code: 'too_deeply_nested',
    message: /nests 21 levels deep; at most 16/,
  },
];

describe('POST /v1/events refuses input outside its limits', () => {
  let h: IngressHarness;
  let key: string;

  beforeAll(async () => {
    h = await startHarness({ INGRESS_MAX_JSON_DEPTH: '16' });
    key = await h.key('acme', ['ingest']);
  });
  afterAll(() => h.close());

  it.each(rows.map((r) => [r.what, r] as const))(
    'refuses %s with its status and the path in details',
    async (_what, row) => {
      const body = row.body();
      const res = Buffer.isBuffer(body)
        ? await postBytes(h.url, key, body)
        : await post(h.url, key, body);
      expect({ status: res.status, code: res.json?.error?.code }).toEqual({
        status: row.status,
        code: row.code,
      });
      const details = (res.json.error.details ?? []) as Array<{ path: string; message: string }>;
      if (row.path !== undefined) {
        expect(details.map((d) => d.path)).toContain(row.path);
        if (row.message)
          expect(details.find((d) => d.path === row.path)!.message).toMatch(row.message);
      } else if (row.message) {
        expect(res.json.error.message).toMatch(row.message);
      }
      expect(res.text).not.toContain('jane.doe@example.com');
    },
  );

  it('accepts an event at every limit, event_id in capitals stored lowercase, and puts only it on the topic', async () => {
    const id = randomUUID();
    const res = await post(
      h.url,
      key,
      event({
        event_id: id.toUpperCase(),
        trace_id: 'f'.repeat(32),
        app_id: 'a'.repeat(L.idMaxChars),
        user_id: 'u'.repeat(L.refMaxChars),
        labels: {
          ...labels(L.maxLabels - 1),
          ['k'.repeat(L.labelKeyMaxChars)]: 'v'.repeat(L.labelValueMaxChars),
        },
        input_messages: [...messages(L.maxMessages - 1), { role: 'user', content: 'ok 😀' }],
        tool_calls: Array.from({ length: L.maxToolCalls }, () => ({ name: 'search' })),
        usage: { input_tokens: L.maxTokens, output_tokens: 0 },
        request: { temperature: L.maxTemperature, top_p: L.maxTopP, max_tokens: L.maxTokens },
        duration_ms: L.maxDurationMs,
        time_to_first_token_ms: L.maxDurationMs,
      }),
    );
    expect(res.status).toBe(202);
    expect(res.json.event_ids).toEqual([id]);
    const [msg] = await readMessages(testKafka(), h.topics.invocations, 1);
    const inv = invocationCodec.decode(msg!.value!);
    expect(inv.event_id).toBe(id);
    expect(Object.keys(inv.labels)).toHaveLength(L.maxLabels);
    expect(inv.input_messages.at(-1)!.content).toBe('ok 😀');
  });
});

async function postBytes(url: string, key: string, body: Buffer) {
  const res = await fetch(`${url}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body,
  });
  const text = await res.text();
  return { status: res.status, json: JSON.parse(text), text };
}
