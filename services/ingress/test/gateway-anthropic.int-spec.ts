import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { LocalAnthropicUpstream } from '@llmops/testing';
import { startGatewayHarness, type GatewayHarness } from './gateway-harness';

/**
 * The Anthropic Messages API through the gateway, with the official `@anthropic-ai/sdk` client
 * unchanged but for its base URL and key, against a local Anthropic-compatible upstream.
 */
describe('gateway: Anthropic Messages', () => {
  let h: GatewayHarness;
  let upstream: LocalAnthropicUpstream;
  let key: string;
  let client: Anthropic;

  beforeAll(async () => {
    upstream = await LocalAnthropicUpstream.start();
    h = await startGatewayHarness(
      [
        'upstreams:',
        `  - { name: claude, base_url: "${upstream.baseUrl}", format: anthropic, endpoint_kind: external, credential: { env: ANTHROPIC_KEY } }`,
        'routes:',
        '  - { model: claude-sonnet-4-5, targets: [{ upstream: claude }] }',
      ],
      { ANTHROPIC_KEY: 'sk-ant-upstream' },
    );
    key = await h.key('acme', ['gateway']);
    client = new Anthropic({ apiKey: key, baseURL: h.url, maxRetries: 0 });
  });

  afterAll(async () => {
    await h?.close();
    await upstream?.close();
  });

  const params = {
    model: 'claude-sonnet-4-5',
    max_tokens: 100,
    system: [
      { type: 'text' as const, text: 'be brief', cache_control: { type: 'ephemeral' as const } },
    ],
    messages: [{ role: 'user' as const, content: 'hello claude' }],
  };

  it('answers a message as the upstream did, with its credential and version, and records cache reads and writes', async () => {
    upstream.next({ kind: 'ok', cacheCreation: 30, cacheRead: 50 });
    const { data, response } = await client.messages.create(params).withResponse();
    expect(data.content).toEqual([{ type: 'text', text: 'echo: hello claude' }]);
    expect(data.usage).toMatchObject({
      cache_creation_input_tokens: 30,
      cache_read_input_tokens: 50,
    });
    const got = upstream.requests.at(-1)!;
    expect(got.headers['x-api-key']).toBe('sk-ant-upstream');
    expect(got.headers.authorization).toBeUndefined();
    // The client's API version goes upstream as it sent it.
    expect(got.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(got.raw).not.toContain(key);

    const r = await h.recordOf(response.headers.get('x-llmops-event-id'));
    expect(r).toMatchObject({
      operation: 'chat',
      provider_name: 'anthropic',
      request_model: 'claude-sonnet-4-5',
      response_id: data.id,
      system_instructions: 'be brief',
      input_messages: [{ role: 'user', content: 'hello claude' }],
      output_messages: [{ role: 'assistant', content: 'echo: hello claude' }],
      // Anthropic's input_tokens leave out the cache; the record's include reads and writes.
      usage: {
        input_tokens: data.usage.input_tokens + 50 + 30,
        cached_input_tokens: 50,
        cache_creation_input_tokens: 30,
        output_tokens: data.usage.output_tokens,
      },
      finish_reasons: ['end_turn'],
      gateway: { route: 'claude-sonnet-4-5', upstream: 'claude', usage_source: 'reported' },
      status: 'ok',
    });
  });

  it('relays a streamed tool use event by event and records the call with its arguments', async () => {
    upstream.next({
      kind: 'tool-calls',
      calls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }],
    });
    const stream = client.messages.stream({
      ...params,
      tools: [{ name: 'get_weather', input_schema: { type: 'object' as const } }],
    });
    const final = await stream.finalMessage();
    const use = final.content.find((b) => b.type === 'tool_use');
    expect(use).toMatchObject({ name: 'get_weather', input: { city: 'Paris' } });
    const r = await h.recordOf(stream.response?.headers.get('x-llmops-event-id') ?? null);
    expect(r.tool_calls).toEqual([
      {
        id: (use as { id: string }).id,
        name: 'get_weather',
        arguments: '{"city":"Paris"}',
        result: null,
        type: null,
        duration_ms: null,
      },
    ]);
    expect(r.finish_reasons).toEqual(['tool_use']);
    expect(r.usage.output_tokens).toBe(final.usage.output_tokens);
    expect(r.usage.input_tokens).toBe(final.usage.input_tokens);
    expect(r.time_to_first_token_ms).not.toBeNull();
  });

  it('records a stream that the upstream ended with an error event as failed, with the tokens it had reported', async () => {
    upstream.next({
      kind: 'stream-error',
      after: 3,
      type: 'overloaded_error',
      message: 'Overloaded',
    });
    const stream = client.messages.stream(params);
    const err = await stream.finalMessage().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    const r = await h.recordOf(stream.response?.headers.get('x-llmops-event-id') ?? null);
    expect(r).toMatchObject({ status: 'error', error_type: 'overloaded_error' });
    // message_start reported the input tokens: kept, not zeroed.
    expect(r.usage.input_tokens).toBeGreaterThan(0);
    expect(r.gateway?.usage_source).toBe('reported');
  });

  it("takes the key as x-api-key too, passes the client's API version on, and answers errors in Anthropic's shape", async () => {
    const ok = await fetch(`${h.url}/v1/messages`, {
      method: 'POST',
      headers: {
        'x-api-key': key,
        'content-type': 'application/json',
        'anthropic-version': '2023-06-01',
      },
      body: JSON.stringify(params),
    });
    expect(ok.status).toBe(200);
    expect(upstream.requests.at(-1)!.headers['anthropic-version']).toBe('2023-06-01');
    const res = await fetch(`${h.url}/v1/messages`, {
      method: 'POST',
      headers: {
        'x-api-key': key,
        'content-type': 'application/json',
        'anthropic-version': '2023-06-01',
      },
      body: JSON.stringify({ ...params, model: 'no-such-model' }),
    });
    expect(res.status).toBe(404);
    const body = (await res.json()) as { type: string; error: { type: string; message: string } };
    expect(body).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    expect(body.error.message).toMatch(/^model_not_found: /);

    const err = await client.messages.create({ ...params, model: 'no-such-model' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Anthropic.NotFoundError);
  });

  // Chat Completions reach it translated (gateway-translation.int-spec.ts); Responses do not.
  it('does not send an OpenAI Responses call to an Anthropic upstream', async () => {
    const openai = new OpenAI({ apiKey: key, baseURL: `${h.url}/v1`, maxRetries: 0 });
    const before = upstream.requests.length;
    const err = await openai.responses.create({ model: 'claude-sonnet-4-5', input: 'hi' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect((err as Error).message).toContain('no upstream that speaks the openai API');
    expect(upstream.requests.length).toBe(before);
  });
});
