import OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionTool } from 'openai/resources/chat/completions';
import { LocalAnthropicUpstream, LocalOpenAIUpstream } from '@llmops/testing';
import { startGatewayHarness, type GatewayHarness } from './gateway-harness';

const EMAIL = 'jane.doe@example.com';

const tools: ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'the weather of a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  },
];

/** What `promise` rejected with (fails the test if it resolved). */
async function rejection(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OpenAI.APIError);
  return err as InstanceType<typeof OpenAI.APIError>;
}

/**
 * An OpenAI Chat Completions client (the official `openai` SDK, unchanged but for its base URL
 * and key) routed to an Anthropic upstream: the request goes to Messages translated, the
 * answer, its stream and its errors come back in OpenAI's shapes, and the record keeps
 * Anthropic's usage as it reported it.
 */
describe('gateway: Chat Completions to an Anthropic upstream', () => {
  let h: GatewayHarness;
  let claude: LocalAnthropicUpstream;
  let gpt: LocalOpenAIUpstream;
  let client: OpenAI;
  let restoring: OpenAI;

  beforeAll(async () => {
    claude = await LocalAnthropicUpstream.start();
    gpt = await LocalOpenAIUpstream.start();
    h = await startGatewayHarness(
      [
        'upstreams:',
        `  - { name: claude, base_url: "${claude.baseUrl}", format: anthropic, endpoint_kind: external, credential: { env: ANTHROPIC_KEY } }`,
        // The same server again, for the error answers: its circuit is its own.
        `  - { name: claude-faults, base_url: "${claude.baseUrl}", format: anthropic, endpoint_kind: external, credential: { env: ANTHROPIC_KEY } }`,
        `  - { name: gpt, base_url: "${gpt.baseUrl}", format: openai, endpoint_kind: external, credential: { env: OPENAI_KEY } }`,
        'routes:',
        '  - { model: claude-sonnet-4-5, targets: [{ upstream: claude }] }',
        '  - { model: claude-faulty, targets: [{ upstream: claude-faults, model: claude-haiku-4-5 }] }',
        '  - { model: gpt-or-claude, targets: [{ upstream: gpt, model: gpt-4o-mini }, { upstream: claude, model: claude-sonnet-4-5 }] }',
        'tenants:',
        '  restoreco: { pii: { external: restore } }',
      ],
      { ANTHROPIC_KEY: 'sk-ant-upstream', OPENAI_KEY: 'sk-openai-upstream' },
    );
    const options = { baseURL: `${h.url}/v1`, maxRetries: 0 };
    client = new OpenAI({ apiKey: await h.key('acme', ['gateway']), ...options });
    restoring = new OpenAI({ apiKey: await h.key('restoreco', ['gateway']), ...options });
  });

  afterAll(async () => {
    await h?.close();
    await claude?.close();
    await gpt?.close();
  });

  const messages = [
    { role: 'system' as const, content: 'be brief' },
    { role: 'user' as const, content: 'hello claude' },
  ];
  // The upstream's counts: input (2 + 3) system + (2 + 3) user = 10; output "echo: hello claude" = 3.

  it("answers a chat completion from Claude in OpenAI's shape, and records Anthropic's usage with its cache reads and writes", async () => {
    claude.next({ kind: 'ok', cacheCreation: 30, cacheRead: 50 });
    const { data, response } = await client.chat.completions
      .create({
        model: 'claude-sonnet-4-5',
        messages,
        max_completion_tokens: 100,
        temperature: 0.3,
      })
      .withResponse();
    expect(data).toMatchObject({
      object: 'chat.completion',
      model: 'claude-sonnet-4-5',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'echo: hello claude' },
          finish_reason: 'stop',
        },
      ],
      // OpenAI's prompt tokens include the cache reads and writes; the reads are the cached ones.
      usage: {
        prompt_tokens: 10 + 50 + 30,
        completion_tokens: 3,
        total_tokens: 93,
        prompt_tokens_details: { cached_tokens: 50 },
      },
    });
    expect(data.id).toMatch(/^msg_/);

    const got = claude.requests.at(-1)!;
    expect(got.path).toBe('/v1/messages');
    expect(got.headers['x-api-key']).toBe('sk-ant-upstream');
    expect(got.headers['anthropic-version']).toBe('2023-06-01');
    expect(got.headers.authorization).toBeUndefined();
    expect(got.body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      system: [{ type: 'text', text: 'be brief' }],
      messages: [{ role: 'user', content: 'hello claude' }],
      temperature: 0.3,
    });

    const r = await h.recordOf(response.headers.get('x-llmops-event-id'));
    expect(r).toMatchObject({
      operation: 'chat',
      provider_name: 'anthropic',
      request_model: 'claude-sonnet-4-5',
      response_id: data.id,
      system_instructions: 'be brief',
      input_messages: [{ role: 'user', content: 'hello claude' }],
      output_messages: [{ role: 'assistant', content: 'echo: hello claude' }],
      // As Anthropic reported it: input 10, cache reads 50 and writes 30 each kept.
      usage: {
        input_tokens: 90,
        cached_input_tokens: 50,
        cache_creation_input_tokens: 30,
        output_tokens: 3,
      },
      finish_reasons: ['end_turn'],
      request: { max_tokens: 100, temperature: 0.3, stream: false },
      status: 'ok',
      gateway: {
        route: 'claude-sonnet-4-5',
        upstream: 'claude',
        upstream_model: 'claude-sonnet-4-5',
        usage_source: 'reported',
      },
    });
  });

  it('relays a stream as chunks while the upstream is still sending, with the usage chunk the client asked for', async () => {
    // message_start, content_block_start, ping, the first text_delta: then the upstream waits.
    claude.next({ kind: 'pause-after', chunks: 4 });
    const { data: stream, response } = await client.chat.completions
      .create({
        model: 'claude-sonnet-4-5',
        messages,
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) {
      chunks.push(chunk);
      if (chunk.choices[0]?.delta.content === 'echo:') {
        // The first word reached the client while the rest is still held upstream.
        expect(claude.requests.at(-1)!.chunksWritten).toBe(4);
        claude.resume();
      }
    }
    expect(chunks[0]!.choices[0]!.delta).toMatchObject({ role: 'assistant' });
    const deltas = chunks.map((c) => c.choices[0]?.delta.content).filter((t) => t);
    expect(deltas).toEqual(['echo:', ' hello', ' claude']);
    expect(chunks.map((c) => c.choices[0]?.finish_reason).filter((f) => f)).toEqual(['stop']);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 });
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    expect(claude.requests.at(-1)!.body).toMatchObject({ stream: true });
    expect(claude.requests.at(-1)!.body).not.toHaveProperty('stream_options');

    const r = await h.recordOf(response.headers.get('x-llmops-event-id'));
    expect(r).toMatchObject({
      status: 'ok',
      output_messages: [{ role: 'assistant', content: 'echo: hello claude' }],
      usage: { input_tokens: 10, output_tokens: 3, cached_input_tokens: 0 },
      finish_reasons: ['end_turn'],
      request: { stream: true },
    });
    expect(r.time_to_first_token_ms).not.toBeNull();
  });

  it('sends tools to Claude, answers its tool use as tool calls, and sends the tool result back as a tool_result', async () => {
    claude.next({
      kind: 'tool-calls',
      calls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }],
    });
    const ask = { role: 'user' as const, content: 'weather in Paris?' };
    const { data, response } = await client.chat.completions
      .create({ model: 'claude-sonnet-4-5', messages: [ask], tools, tool_choice: 'auto' })
      .withResponse();
    const message = data.choices[0]!.message;
    expect(data.choices[0]!.finish_reason).toBe('tool_calls');
    expect(message.content).toBeNull();
    expect(message.tool_calls).toEqual([
      {
        id: expect.stringMatching(/^toolu_/) as unknown,
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
      },
    ]);
    expect(claude.requests.at(-1)!.body).toMatchObject({
      tools: [
        {
          name: 'get_weather',
          description: 'the weather of a city',
          input_schema: tools[0]!.type === 'function' ? tools[0]!.function.parameters : {},
        },
      ],
      tool_choice: { type: 'auto' },
    });
    const id = message.tool_calls![0]!.id;
    const first = await h.recordOf(response.headers.get('x-llmops-event-id'));
    expect(first.tool_calls).toMatchObject([
      { id, name: 'get_weather', arguments: '{"city":"Paris"}' },
    ]);
    expect(first.finish_reasons).toEqual(['tool_use']);

    // The client sends the assistant's message back as it got it, with the tool's result.
    const followUp = await client.chat.completions
      .create({
        model: 'claude-sonnet-4-5',
        tools,
        messages: [ask, message, { role: 'tool', tool_call_id: id, content: 'sunny, 24°C' }],
      })
      .withResponse();
    expect(followUp.data.choices[0]!.finish_reason).toBe('stop');
    expect(claude.requests.at(-1)!.body).toMatchObject({
      messages: [
        { role: 'user', content: 'weather in Paris?' },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id, name: 'get_weather', input: { city: 'Paris' } }],
        },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: id, content: 'sunny, 24°C' }],
        },
      ],
    });
    const second = await h.recordOf(followUp.response.headers.get('x-llmops-event-id'));
    expect(second.input_messages.at(-1)).toMatchObject({
      role: 'tool',
      content: 'sunny, 24°C',
      tool_call_id: id,
    });
  });

  it('streams a tool call as OpenAI does: id and name first, then the arguments in pieces', async () => {
    claude.next({
      kind: 'tool-calls',
      calls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }],
    });
    const { data: stream, response } = await client.chat.completions
      .create({
        model: 'claude-sonnet-4-5',
        messages: [{ role: 'user', content: 'weather in Paris?' }],
        tools,
        stream: true,
      })
      .withResponse();
    const calls: ChatCompletionChunk.Choice.Delta.ToolCall[] = [];
    const finishes: string[] = [];
    for await (const chunk of stream) {
      calls.push(...(chunk.choices[0]?.delta.tool_calls ?? []));
      if (chunk.choices[0]?.finish_reason) finishes.push(chunk.choices[0].finish_reason);
      expect(chunk.usage ?? null).toBeNull();
    }
    expect(calls[0]).toMatchObject({
      index: 0,
      id: expect.stringMatching(/^toolu_/) as unknown,
      type: 'function',
      function: { name: 'get_weather', arguments: '' },
    });
    const pieces = calls.slice(1).map((c) => c.function?.arguments);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe('{"city":"Paris"}');
    expect(calls.slice(1).every((c) => c.index === 0 && c.id === undefined)).toBe(true);
    expect(finishes).toEqual(['tool_calls']);

    const r = await h.recordOf(response.headers.get('x-llmops-event-id'));
    expect(r.tool_calls).toMatchObject([
      { id: calls[0]!.id, name: 'get_weather', arguments: '{"city":"Paris"}' },
    ]);
    expect(r.finish_reasons).toEqual(['tool_use']);
  });

  it.each([
    {
      status: 400,
      error: OpenAI.BadRequestError,
      answered: 400,
      message: '400 Local upstream answered 400',
    },
    {
      status: 429,
      error: OpenAI.RateLimitError,
      answered: 429,
      message: '429 Number of requests has exceeded your rate limit.',
    },
    // An upstream's 5xx is the gateway's own 502, as for every API.
    {
      status: 500,
      error: OpenAI.InternalServerError,
      answered: 502,
      message: "502 upstream 'claude-faults' answered 500; no upstream of this model could answer",
    },
  ])(
    "raises an upstream $status in the OpenAI SDK as its own error, in OpenAI's shape",
    async ({ status, error, answered, message }) => {
      // Retry-After beyond the gateway's longest wait: no second attempt.
      claude.next({ kind: 'status', status, headers: { 'retry-after': '600' } });
      const err = await rejection(
        client.chat.completions.create({ model: 'claude-faulty', messages }),
      );
      expect(err).toBeInstanceOf(error);
      expect(err.status).toBe(answered);
      expect(err.message).toBe(message);
      const r = await h.recordOf(err.headers?.get('x-llmops-event-id') ?? null);
      expect(r).toMatchObject({ status: 'error', error_type: `http_${status}` });
      expect(r.gateway?.attempts).toMatchObject([
        { upstream: 'claude-faults', model: 'claude-haiku-4-5', outcome: `http_${status}` },
      ]);
    },
  );

  it("keeps Anthropic's error type as the code of an error it answered", async () => {
    claude.next({ kind: 'status', status: 429, headers: { 'retry-after': '600' } });
    const err = await rejection(
      client.chat.completions.create({ model: 'claude-faulty', messages }),
    );
    expect(err).toMatchObject({ type: 'rate_limit_error', code: 'rate_limit_error', param: null });
  });

  it('answers an error event mid-stream with an error the SDK raises, and records the call as failed', async () => {
    // message_start, content_block_start, ping, the first text_delta, then the error event.
    claude.next({ kind: 'stream-error', after: 4 });
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'claude-sonnet-4-5', messages, stream: true })
      .withResponse();
    let text = '';
    const err = await rejection(
      (async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      })(),
    );
    expect(text).toBe('echo:');
    expect(err.message).toBe('Overloaded');
    expect(err).toMatchObject({ type: 'server_error', code: 'overloaded_error' });
    const r = await h.recordOf(response.headers.get('x-llmops-event-id'));
    expect(r).toMatchObject({ status: 'error', error_type: 'overloaded_error' });
    expect(r.error_message).toContain('Overloaded');
  });

  it('refuses a field Anthropic has no counterpart for with a 400 naming it, without calling the upstream', async () => {
    const before = claude.requests.length;
    const err = await rejection(
      client.chat.completions.create({ model: 'claude-sonnet-4-5', messages, n: 2 }),
    );
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err).toMatchObject({ status: 400, code: 'untranslatable_parameter', param: 'n' });
    expect(err.message).toContain('n: the Messages API answers one choice per call');
    expect(claude.requests.length).toBe(before);
    const r = await h.recordOf(err.headers?.get('x-llmops-event-id') ?? null);
    expect(r).toMatchObject({ status: 'error', error_type: 'untranslatable_parameter' });
    expect(r.gateway?.attempts).toEqual([]);
  });

  it('falls back from an OpenAI target to an Anthropic one, translating for the fallback only', async () => {
    gpt.next({ kind: 'status', status: 500 });
    const { data, response } = await client.chat.completions
      .create({ model: 'gpt-or-claude', messages })
      .withResponse();
    expect(data.id).toMatch(/^msg_/);
    expect(data.choices[0]!.message.content).toBe('echo: hello claude');
    expect(gpt.requests.at(-1)!.body).toMatchObject({ model: 'gpt-4o-mini', messages });
    expect(claude.requests.at(-1)!.body).toMatchObject({
      model: 'claude-sonnet-4-5',
      system: [{ type: 'text', text: 'be brief' }],
    });
    const r = await h.recordOf(response.headers.get('x-llmops-event-id'));
    expect(r).toMatchObject({
      status: 'ok',
      provider_name: 'anthropic',
      gateway: { upstream: 'claude', upstream_model: 'claude-sonnet-4-5' },
    });
    expect(r.gateway?.attempts).toMatchObject([
      { upstream: 'gpt', outcome: 'http_500' },
      { upstream: 'claude', outcome: 'ok' },
    ]);
  });

  it("sends a request the translation refuses to the route's OpenAI target only", async () => {
    const before = claude.requests.length;
    const data = await client.chat.completions.create({ model: 'gpt-or-claude', messages, n: 2 });
    expect(data.choices).toHaveLength(2);
    expect(claude.requests.length).toBe(before);
  });

  it('restores PII in a translated answer, streamed or not, while Claude only sees placeholders', async () => {
    const mail = [{ role: 'user' as const, content: `please mail ${EMAIL} today` }];
    const answer = await restoring.chat.completions.create({
      model: 'claude-sonnet-4-5',
      messages: mail,
    });
    expect(answer.choices[0]!.message.content).toBe(`echo: please mail ${EMAIL} today`);
    expect(claude.requests.at(-1)!.raw).not.toContain(EMAIL);

    const stream = await restoring.chat.completions.create({
      model: 'claude-sonnet-4-5',
      messages: mail,
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe(`echo: please mail ${EMAIL} today`);
    expect(claude.requests.at(-1)!.raw).not.toContain(EMAIL);
  });
});
