// The official `openai` client against LocalOpenAIUpstream: if the client
// parses every answer, the upstream speaks OpenAI's wire format. These are
// unit tests (in-process server, no Kafka/Redis/ClickHouse), so they live
// beside the code and run without the integration global setup.
import OpenAI, { AzureOpenAI } from 'openai';
import { LocalOpenAIUpstream, localEmbedding } from './openai-upstream';

describe('LocalOpenAIUpstream with the official openai client', () => {
  let upstream: LocalOpenAIUpstream;
  let client: OpenAI;

  beforeEach(async () => {
    upstream = await LocalOpenAIUpstream.start();
    client = new OpenAI({ apiKey: 'k', baseURL: upstream.baseUrl, maxRetries: 0 });
  });

  afterEach(async () => {
    await upstream.close();
  });

  const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
    { role: 'system', content: 'be brief' },
    { role: 'user', content: [{ type: 'text', text: 'hello there world' }] },
  ];
  // prompt: (2 + 3) + (3 + 3) = 11; answer "echo: hello there world": 4 words.

  it('answers a chat completion with the echo text and the documented usage', async () => {
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });

    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('gpt-4o-mini');
    expect(completion.choices).toHaveLength(1);
    expect(completion.choices[0]!.message.content).toBe('echo: hello there world');
    expect(completion.choices[0]!.finish_reason).toBe('stop');
    expect(completion.choices[0]!.logprobs).toBeNull();
    expect(completion.usage).toMatchObject({
      prompt_tokens: 11,
      completion_tokens: 4,
      total_tokens: 15,
      prompt_tokens_details: { cached_tokens: 0 },
    });
    expect(upstream.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      headers: { authorization: 'Bearer k' },
      credential: 'k',
      body: { model: 'gpt-4o-mini', messages },
      aborted: false,
    });
  });

  it('reports the cached tokens an ok behaviour sets', async () => {
    upstream.next({ kind: 'ok', cachedTokens: 7 });
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(completion.usage?.prompt_tokens_details?.cached_tokens).toBe(7);
  });

  it('gives n choices, usage counting every choice', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      n: 2,
    });
    expect(completion.choices.map((c) => [c.index, c.message.content])).toEqual([
      [0, 'echo: hello there world'],
      [1, 'echo: hello there world'],
    ]);
    expect(completion.usage?.completion_tokens).toBe(8);
  });

  it('streams one chunk per word, then the usage chunk, when include_usage is set', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.Chat.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);

    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant');
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? null)).toEqual([
      '',
      'echo:',
      ' hello',
      ' there',
      ' world',
      null,
      null,
    ]);
    expect(chunks[5]!.choices[0]!.finish_reason).toBe('stop');
    expect(chunks.slice(0, 6).every((c) => c.usage === null)).toBe(true);
    expect(chunks[6]!.choices).toEqual([]);
    expect(chunks[6]!.usage).toMatchObject({
      prompt_tokens: 11,
      completion_tokens: 4,
      total_tokens: 15,
    });
    // 6 choice chunks, the usage chunk and [DONE], each its own write.
    expect(upstream.requests[0]!.chunksWritten).toBe(8);
    expect(upstream.requests[0]!.raw).toContain('"include_usage":true');
  });

  it('streams without usage fields when include_usage is not set', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
    });
    const chunks: OpenAI.Chat.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks).toHaveLength(6);
    expect(chunks.every((c) => !('usage' in c))).toBe(true);
  });

  it('streams cumulative usage in every chunk under cumulative-usage, ending at the normal numbers', async () => {
    upstream.next({ kind: 'cumulative-usage' });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const completionTokens: number[] = [];
    for await (const chunk of stream) completionTokens.push(chunk.usage!.completion_tokens);
    expect(completionTokens).toEqual([0, 1, 2, 3, 4, 4, 4]);
  });

  it('answers with parallel tool calls, streamed and not', async () => {
    const calls = [
      { name: 'get_weather', arguments: '{"city":"Paris","unit":"c"}' },
      { name: 'get_time', arguments: '{"tz":"CET"}' },
    ];
    upstream.next({ kind: 'tool-calls', calls }, { kind: 'tool-calls', calls });

    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    const choice = completion.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    expect(
      choice.message.tool_calls?.map(
        (c) => c.type === 'function' && [c.function.name, c.function.arguments],
      ),
    ).toEqual([
      ['get_weather', calls[0]!.arguments],
      ['get_time', calls[1]!.arguments],
    ]);
    // per call 1 + ceil(length / 8): (1 + 4) + (1 + 2)
    expect(completion.usage?.completion_tokens).toBe(8);

    const stream = client.chat.completions.stream({ model: 'gpt-4o-mini', messages });
    const final = await stream.finalChatCompletion();
    const streamed = final.choices[0]!;
    expect(streamed.finish_reason).toBe('tool_calls');
    expect(
      streamed.message.tool_calls?.map(
        (c) => c.type === 'function' && [c.id, c.function.name, c.function.arguments],
      ),
    ).toEqual([
      [
        choice.message.tool_calls![0]!.id.replace('local1', 'local2'),
        'get_weather',
        calls[0]!.arguments,
      ],
      [
        choice.message.tool_calls![1]!.id.replace('local1', 'local2'),
        'get_time',
        calls[1]!.arguments,
      ],
    ]);
    // opening delta of each call, then the argument pieces, then the finish chunk and [DONE]
    expect(upstream.requests[1]!.chunksWritten).toBe(2 + 4 + 2 + 1 + 1);
  });

  it('answers the Responses API, string input, with the response object and usage', async () => {
    upstream.next({ kind: 'ok', cachedTokens: 2 });
    const response = await client.responses.create({
      model: 'gpt-4.1',
      instructions: 'be brief',
      input: 'hello there',
    });
    expect(response).toMatchObject({
      object: 'response',
      status: 'completed',
      model: 'gpt-4.1',
      output: [
        {
          type: 'message',
          role: 'assistant',
          content: [{ type: 'output_text', text: 'echo: hello there', annotations: [] }],
        },
      ],
      // input: (2 + 3) + (2 + 3) = 10; output: 3
      usage: {
        input_tokens: 10,
        input_tokens_details: { cached_tokens: 2 },
        output_tokens: 3,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 13,
      },
    });
    expect(response.output_text).toBe('echo: hello there');
  });

  it('streams the Responses API typed events, in sequence, ending with the full response', async () => {
    const stream = await client.responses.create({
      model: 'gpt-4.1',
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'one two' }] }],
      stream: true,
    });
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);

    expect(events.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    const completed = events.at(-1) as OpenAI.Responses.ResponseCompletedEvent;
    expect(completed.response.usage).toMatchObject({
      input_tokens: 5,
      output_tokens: 3,
      total_tokens: 8,
    });

    const final = await client.responses
      .stream({ model: 'gpt-4.1', input: 'one two' })
      .finalResponse();
    expect(final.output_text).toBe('echo: one two');
  });

  it('answers the Responses API with function_call items, streamed and not', async () => {
    const calls = [{ name: 'lookup', arguments: '{"id":42}' }];
    upstream.next({ kind: 'tool-calls', calls }, { kind: 'tool-calls', calls });

    const response = await client.responses.create({ model: 'gpt-4.1', input: 'find it' });
    expect(response.output).toEqual([
      expect.objectContaining({ type: 'function_call', name: 'lookup', arguments: '{"id":42}' }),
    ]);
    // 1 for the call + 2 pieces of 8 characters
    expect(response.usage?.output_tokens).toBe(3);

    const stream = client.responses.stream({ model: 'gpt-4.1', input: 'find it' });
    const deltas: string[] = [];
    stream.on('response.function_call_arguments.delta', (event) => deltas.push(event.delta));
    const final = await stream.finalResponse();
    expect(deltas).toEqual(['{"id":42', '}']);
    expect(final.output).toEqual([
      expect.objectContaining({
        type: 'function_call',
        name: 'lookup',
        arguments: '{"id":42}',
        status: 'completed',
      }),
    ]);
  });

  it('answers embeddings in base64 by default, which the client decodes back to the floats', async () => {
    const result = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: ['alpha beta', 'gamma'],
    });
    expect(upstream.requests[0]!.body).toMatchObject({ encoding_format: 'base64' });
    expect(result.object).toBe('list');
    expect(result.data.map((d) => d.embedding)).toEqual([
      localEmbedding('alpha beta'),
      localEmbedding('gamma'),
    ]);
    expect(result.data[0]!.embedding).toHaveLength(8);
    expect(result.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 });

    const floats = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: 'gamma',
      encoding_format: 'float',
    });
    expect(floats.data[0]!.embedding).toEqual(localEmbedding('gamma'));
  });

  it('lists the models', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(['gpt-4o-mini', 'gpt-4.1', 'text-embedding-3-small']);
  });

  it('answers 404 model_not_found for a model outside the configured list', async () => {
    const limited = await LocalOpenAIUpstream.start({ models: ['only-this'] });
    try {
      const other = new OpenAI({ apiKey: 'k', baseURL: limited.baseUrl, maxRetries: 0 });
      await expect(
        other.chat.completions.create({ model: 'gpt-4o-mini', messages }),
      ).rejects.toMatchObject({ status: 404, code: 'model_not_found' });
    } finally {
      await limited.close();
    }
  });

  it('lets the client retry a 429 and succeed, the client waiting as retry-after says', async () => {
    // retry-after: 0 asks for an immediate retry; the client's own backoff would be 0.5 s or more.
    upstream.next({ kind: 'status', status: 429, headers: { 'retry-after': '0' } });
    const completion = await client.chat.completions.create(
      { model: 'gpt-4o-mini', messages },
      { maxRetries: 1 },
    );
    expect(completion.choices[0]!.message.content).toBe('echo: hello there world');
    expect(upstream.requests).toHaveLength(2);
    expect(upstream.requests[1]!.headers['x-stainless-retry-count']).toBe('1');
  });

  it('surfaces a 500 as OpenAI.InternalServerError with OpenAI’s error body', async () => {
    upstream.next({ kind: 'status', status: 500 });
    const failure = client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    await expect(failure).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    await expect(failure).rejects.toMatchObject({
      status: 500,
      type: 'server_error',
      requestID: 'req_local_1',
    });
  });

  it('answers 401 in OpenAI’s shape without a bearer token', async () => {
    const response = await fetch(`${upstream.baseUrl}/models`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      error: { type: 'invalid_request_error', param: null, code: null },
    });
  });

  it('marks a request aborted when the client goes away from a hanging answer', async () => {
    upstream.next({ kind: 'hang' });
    const controller = new AbortController();
    const pending = client.chat.completions.create(
      { model: 'gpt-4o-mini', messages },
      { signal: controller.signal },
    );
    const received = await upstream.waitForRequest(1);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(OpenAI.APIUserAbortError);
    await received.closed;
    expect(received.aborted).toBe(true);
  });

  it('cuts the stream after the given number of chunks under disconnect-after', async () => {
    upstream.next({ kind: 'disconnect-after', chunks: 2 });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
    });
    const contents: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream) contents.push(chunk.choices[0]!.delta.content!);
      })(),
    ).rejects.toThrow();
    expect(contents).toEqual(['', 'echo:']);
    expect(upstream.requests[0]!.aborted).toBe(false);
  });

  it('destroys the socket at once for a non-streaming request under disconnect-after', async () => {
    upstream.next({ kind: 'disconnect-after', chunks: 0 });
    await expect(
      client.chat.completions.create({ model: 'gpt-4o-mini', messages }),
    ).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    expect(upstream.requests[0]!.aborted).toBe(false);
  });

  it('holds a stream under pause-after until resumed, so a test sees chunks arrive before the end', async () => {
    upstream.next({ kind: 'pause-after', chunks: 2 });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
    });
    const iterator = stream[Symbol.asyncIterator]();
    expect((await iterator.next()).value.choices[0].delta.content).toBe('');
    expect((await iterator.next()).value.choices[0].delta.content).toBe('echo:');
    expect(upstream.requests[0]!.chunksWritten).toBe(2);
    upstream.resume();
    const rest: string[] = [];
    for (let step = await iterator.next(); !step.done; step = await iterator.next()) {
      rest.push(step.value.choices[0]!.delta.content ?? '-');
    }
    expect(rest).toEqual([' hello', ' there', ' world', '-']);
  });

  it('waits before the first byte under slow-first-byte, then answers normally', async () => {
    upstream.next({ kind: 'slow-first-byte', delayMs: 20 });
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(completion.choices[0]!.message.content).toBe('echo: hello there world');
  });
});

describe('LocalOpenAIUpstream as an Azure OpenAI resource, with the official AzureOpenAI client', () => {
  it('serves a deployment on its route, taking the key as api-key and the API version', async () => {
    const upstream = await LocalOpenAIUpstream.start();
    try {
      const azure = new AzureOpenAI({
        endpoint: upstream.azureEndpoint,
        apiKey: 'azure-key',
        apiVersion: '2024-10-21',
        deployment: 'my-deployment',
        maxRetries: 0,
      });
      const answer = await azure.chat.completions.create({
        model: 'my-deployment',
        messages: [{ role: 'user', content: 'hello azure' }],
      });
      expect(answer.choices[0]!.message.content).toBe('echo: hello azure');
      expect(upstream.requests[0]).toMatchObject({
        path: '/openai/deployments/my-deployment/chat/completions?api-version=2024-10-21',
        credential: 'azure-key',
      });
    } finally {
      await upstream.close();
    }
  });
});
