// The official `@anthropic-ai/sdk` client against LocalAnthropicUpstream: if
// the client parses every answer, the upstream speaks the Messages API.
import Anthropic from '@anthropic-ai/sdk';
import { LocalAnthropicUpstream } from './anthropic-upstream';

describe('LocalAnthropicUpstream with the official @anthropic-ai/sdk client', () => {
  let upstream: LocalAnthropicUpstream;
  let client: Anthropic;

  beforeEach(async () => {
    upstream = await LocalAnthropicUpstream.start();
    client = new Anthropic({ apiKey: 'ak', baseURL: upstream.baseUrl, maxRetries: 0 });
  });

  afterEach(async () => {
    await upstream.close();
  });

  const params = {
    model: 'claude-sonnet-4-5',
    max_tokens: 100,
    system: [
      { type: 'text' as const, text: 'be brief', cache_control: { type: 'ephemeral' as const } },
    ],
    messages: [
      { role: 'user' as const, content: 'first question' },
      { role: 'assistant' as const, content: 'first answer' },
      { role: 'user' as const, content: [{ type: 'text' as const, text: 'hello there world' }] },
    ],
  };
  // input: (2 + 3) system + (2 + 3) + (2 + 3) + (3 + 3) = 21; output "echo: hello there world": 4

  it('answers a message with the echo text and the documented usage', async () => {
    const message = await client.messages.create(params);

    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [{ type: 'text', text: 'echo: hello there world' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: {
        input_tokens: 21,
        output_tokens: 4,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    });
    expect(message.id).toMatch(/^msg_/);
    expect(upstream.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/messages',
      // @anthropic-ai/sdk 1.x sends the key as a bearer token, with API version 2026-10-21.
      headers: { authorization: 'Bearer ak', 'anthropic-version': '2026-10-21' },
      credential: 'ak',
      body: params,
    });
  });

  it('streams the real event sequence, finalMessage carrying usage with the cache fields', async () => {
    upstream.next({ kind: 'ok', cacheCreation: 5, cacheRead: 9 });
    const stream = client.messages.stream(params);
    const types: string[] = [];
    const texts: string[] = [];
    stream.on('streamEvent', (event) => {
      types.push(event.type);
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
        texts.push(event.delta.text);
      }
    });
    const message = await stream.finalMessage();

    expect(types).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(upstream.requests[0]!.raw).toContain('"stream":true');
    // ping is on the wire too, though the SDK does not hand it on as a streamEvent
    expect(upstream.requests[0]!.chunksWritten).toBe(types.length + 1);
    expect(texts).toEqual(['echo:', ' hello', ' there', ' world']);
    expect(message.content).toEqual([{ type: 'text', text: 'echo: hello there world' }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage).toMatchObject({
      input_tokens: 21,
      output_tokens: 4,
      cache_creation_input_tokens: 5,
      cache_read_input_tokens: 9,
    });
  });

  it('answers tool_use blocks, streamed as input_json_delta pieces and not', async () => {
    const calls = [{ name: 'get_weather', arguments: '{"city":"Paris","unit":"c"}' }];
    upstream.next({ kind: 'tool-calls', calls }, { kind: 'tool-calls', calls });

    const message = await client.messages.create(params);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content).toEqual([
      expect.objectContaining({
        type: 'tool_use',
        name: 'get_weather',
        input: { city: 'Paris', unit: 'c' },
      }),
    ]);
    expect((message.content[0] as Anthropic.ToolUseBlock).id).toMatch(/^toolu_/);
    // 1 for the call + 4 pieces of 8 characters
    expect(message.usage.output_tokens).toBe(5);

    const stream = client.messages.stream(params);
    const pieces: string[] = [];
    stream.on('inputJson', (partial) => pieces.push(partial));
    const streamed = await stream.finalMessage();
    // The API opens a tool_use block with an empty partial_json, as here.
    expect(pieces).toEqual(['', '{"city":', '"Paris",', '"unit":"', 'c"}']);
    expect(streamed.stop_reason).toBe('tool_use');
    expect(streamed.content).toEqual([
      expect.objectContaining({
        type: 'tool_use',
        name: 'get_weather',
        input: { city: 'Paris', unit: 'c' },
      }),
    ]);
    expect(streamed.usage.output_tokens).toBe(5);
  });

  it('surfaces a 429 as Anthropic.RateLimitError with the error body in Anthropic’s shape', async () => {
    upstream.next({ kind: 'status', status: 429, headers: { 'retry-after': '1' } });
    const failure = client.messages.create(params);
    await expect(failure).rejects.toBeInstanceOf(Anthropic.RateLimitError);
    await expect(failure).rejects.toMatchObject({
      status: 429,
      error: { type: 'error', error: { type: 'rate_limit_error' } },
      requestID: 'req_local1',
    });
  });

  it('surfaces a 529 as Anthropic.OverloadedError', async () => {
    upstream.next({ kind: 'status', status: 529 });
    await expect(client.messages.create(params)).rejects.toBeInstanceOf(Anthropic.OverloadedError);
  });

  const post = (headers: Record<string, string>, body: object = params) =>
    fetch(`${upstream.baseUrl}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('takes the key as x-api-key too, as curl sends it', async () => {
    const response = await post({ 'x-api-key': 'curl-key', 'anthropic-version': '2023-06-01' });
    expect(response.status).toBe(200);
    expect(upstream.requests[0]!.credential).toBe('curl-key');
  });

  it('refuses a request without a key, in Anthropic’s shape', async () => {
    const response = await post({ 'anthropic-version': '2023-06-01' });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      type: 'error',
      error: { type: 'authentication_error', message: 'x-api-key header is required' },
    });
  });

  it('refuses temperature under API version 2026-10-21 and takes it under 2023-06-01', async () => {
    const body = { ...params, temperature: 0.2 };
    const refused = await post({ 'x-api-key': 'k', 'anthropic-version': '2026-10-21' }, body);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
    const taken = await post({ 'x-api-key': 'k', 'anthropic-version': '2023-06-01' }, body);
    expect(taken.status).toBe(200);
  });

  it('marks a request aborted when the client goes away from a hanging answer', async () => {
    upstream.next({ kind: 'hang' });
    const controller = new AbortController();
    const pending = client.messages.create(params, { signal: controller.signal });
    const received = await upstream.waitForRequest(1);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(Anthropic.APIUserAbortError);
    await received.closed;
    expect(received.aborted).toBe(true);
  });

  it('ends the stream with an error event under stream-error, which the SDK raises', async () => {
    upstream.next({ kind: 'stream-error', after: 3 });
    const stream = client.messages.stream(params);
    await expect(stream.finalMessage()).rejects.toMatchObject({
      error: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    });
    // message_start, content_block_start, ping, then the error event.
    expect(upstream.requests[0]!.chunksWritten).toBe(4);
  });

  it('cuts the stream after the given number of events under disconnect-after', async () => {
    upstream.next({ kind: 'disconnect-after', chunks: 3 });
    const stream = client.messages.stream(params);
    await expect(stream.finalMessage()).rejects.toThrow();
    expect(upstream.requests[0]!.chunksWritten).toBe(3);
    expect(upstream.requests[0]!.aborted).toBe(false);
  });
});
