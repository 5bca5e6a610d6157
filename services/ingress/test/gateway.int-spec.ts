import OpenAI from 'openai';
import { LocalOpenAIUpstream } from '@llmops/testing';
import { countText } from '../src/gateway/token-counter';
import { startGatewayHarness, type GatewayHarness } from './gateway-harness';

/**
 * The OpenAI Chat Completions API through the gateway, with the official `openai` client
 * unchanged but for its base URL and key, against two local OpenAI-compatible upstreams.
 * Every record the gateway writes is read back from the invocations topic.
 */
describe('gateway: OpenAI Chat Completions', () => {
  let h: GatewayHarness;
  let primary: LocalOpenAIUpstream;
  let backup: LocalOpenAIUpstream;
  /** Only for the circuit breaker's test: its circuit state is its own. */
  let flaky: LocalOpenAIUpstream;
  let client: OpenAI;
  let key: string;
  const recordOf = (eventId: string | null) => h.recordOf(eventId);

  beforeAll(async () => {
    primary = await LocalOpenAIUpstream.start();
    backup = await LocalOpenAIUpstream.start();
    flaky = await LocalOpenAIUpstream.start();
    h = await startGatewayHarness(
      [
        'upstreams:',
        `  - { name: primary, base_url: "${primary.baseUrl}", format: openai, endpoint_kind: external, credential: { env: PRIMARY_KEY } }`,
        `  - { name: backup, base_url: "${backup.baseUrl}", format: openai, endpoint_kind: internal, credential: { env: BACKUP_KEY } }`,
        `  - { name: azure, base_url: "${backup.azureEndpoint}", format: azure-openai, api_version: 2024-10-21, endpoint_kind: external, credential: { env: AZURE_KEY } }`,
        `  - { name: flaky, base_url: "${flaky.baseUrl}", format: openai, endpoint_kind: internal, credential: { env: BACKUP_KEY } }`,
        'routes:',
        '  - { model: sturdy, targets: [{ upstream: flaky }, { upstream: backup }] }',
        '  - model: gpt-4o-mini',
        '    targets: [{ upstream: primary }]',
        '  - { model: text-embedding-3-small, targets: [{ upstream: primary }] }',
        '  - { model: azure-gpt, targets: [{ upstream: azure, model: my-deployment }] }',
        '  - model: smart',
        '    targets: [{ upstream: primary, model: gpt-4.1 }, { upstream: backup, model: gpt-4.1 }]',
      ],
      {
        PRIMARY_KEY: 'sk-upstream-secret',
        BACKUP_KEY: 'sk-backup-secret',
        AZURE_KEY: 'azure-secret',
        GATEWAY_MAX_RETRY_WAIT_MS: '2000',
      },
    );
    key = await h.key('acme', ['gateway']);
    client = new OpenAI({ apiKey: key, baseURL: `${h.url}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await h?.close();
    await primary?.close();
    await backup?.close();
    await flaky?.close();
  });

  it('answers a chat call as the upstream did and records it once, with the usage the upstream reported', async () => {
    const { data, response } = await client.chat.completions
      .create(
        {
          model: 'gpt-4o-mini',
          messages: [
            { role: 'system', content: 'Be brief.' },
            { role: 'user', content: 'hello there gateway' },
          ],
          temperature: 0.2,
          max_completion_tokens: 50,
        },
        {
          headers: {
            'x-llmops-app-id': 'support-bot',
            'x-llmops-agent-version': '1.4.2',
            'x-llmops-labels': 'team=care',
          },
        },
      )
      .withResponse();
    expect(data.choices[0]!.message.content).toBe('echo: hello there gateway');
    const upstream = primary.requests.at(-1)!;
    // The upstream got the gateway's credential, never the client's key.
    expect(upstream.headers.authorization).toBe('Bearer sk-upstream-secret');
    expect(upstream.raw).not.toContain(key);

    const r = await recordOf(response.headers.get('x-llmops-event-id'));
    expect(r).toMatchObject({
      tenant_id: 'acme',
      app_id: 'support-bot',
      agent_version: '1.4.2',
      labels: { team: 'care' },
      operation: 'chat',
      provider_name: 'openai',
      request_model: 'gpt-4o-mini',
      response_model: data.model,
      response_id: data.id,
      endpoint: { kind: 'external', host: new URL(primary.baseUrl).host },
      request: { temperature: 0.2, max_tokens: 50, stream: false },
      system_instructions: 'Be brief.',
      input_messages: [{ role: 'user', content: 'hello there gateway' }],
      output_messages: [{ role: 'assistant', content: 'echo: hello there gateway' }],
      usage: {
        input_tokens: data.usage!.prompt_tokens,
        output_tokens: data.usage!.completion_tokens,
      },
      finish_reasons: ['stop'],
      status: 'ok',
      gateway: {
        route: 'gpt-4o-mini',
        upstream: 'primary',
        upstream_model: 'gpt-4o-mini',
        attempts: [{ upstream: 'primary', model: 'gpt-4o-mini', outcome: 'ok' }],
        usage_source: 'reported',
      },
    });
  });

  it('streams chunk by chunk, asks the upstream for usage the client did not ask for and keeps it out of the client stream', async () => {
    const { data: stream, response } = await client.chat.completions
      .create({
        model: 'gpt-4o-mini',
        stream: true,
        messages: [{ role: 'user', content: 'count these five words' }],
      })
      .withResponse();
    let text = '';
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      expect(chunk.usage ?? null).toBeNull();
      expect(chunk.choices.length).toBeGreaterThan(0);
      text += chunk.choices[0]?.delta.content ?? '';
    }
    expect(text).toBe('echo: count these five words');
    expect(chunks).toBeGreaterThan(5);
    const upstream = primary.requests.at(-1)!;
    expect(upstream.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });

    // The same request not streamed: what the upstream reports for it.
    const same = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'count these five words' }],
    });
    const r = await recordOf(response.headers.get('x-llmops-event-id'));
    expect(r.usage).toMatchObject({
      input_tokens: same.usage!.prompt_tokens,
      output_tokens: same.usage!.completion_tokens,
    });
    expect(r.usage.input_tokens).toBeGreaterThan(0);
    expect(r.output_messages).toEqual([
      {
        role: 'assistant',
        content: 'echo: count these five words',
        name: null,
        tool_call_id: null,
      },
    ]);
    expect(r.request.stream).toBe(true);
    expect(r.time_to_first_token_ms).not.toBeNull();
  });

  // Expected counts from OpenAI's tiktoken (o200k_base): 'count me please' 3 tokens, 'echo: count
  // me please' 5, 'count me as I stream' 5, 'echo: count me as I stream' 7, 'user' 1; a chat
  // prompt adds 3 per message and 3 to prime the reply.
  it('counts the tokens itself when the upstream reports no usage, and says the usage was counted', async () => {
    primary.next({ kind: 'no-usage' });
    const { data, response } = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'count me please' }] })
      .withResponse();
    expect(data.usage).toBeUndefined();
    const r = await recordOf(response.headers.get('x-llmops-event-id'));
    expect(r.usage).toMatchObject({ input_tokens: 3 + 3 + 1 + 3, output_tokens: 5 });
    expect(r.gateway).toMatchObject({ usage_source: 'counted' });
  });

  it('counts the tokens of a stream that carried no usage', async () => {
    primary.next({ kind: 'no-usage' });
    const { data: stream, response } = await client.chat.completions
      .create({
        model: 'gpt-4o-mini',
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'count me as I stream' }],
      })
      .withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('echo: count me as I stream');
    const r = await recordOf(response.headers.get('x-llmops-event-id'));
    expect(r.usage).toMatchObject({ input_tokens: 3 + 3 + 1 + 5, output_tokens: 7 });
    expect(r.gateway).toMatchObject({ usage_source: 'counted' });
  });

  it('passes usage on when the client asked for it, counted once even when the upstream repeats it cumulatively', async () => {
    primary.next({ kind: 'cumulative-usage' });
    const { data: stream, response } = await client.chat.completions
      .create({
        model: 'gpt-4o-mini',
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'one two three' }],
      })
      .withResponse();
    let last: OpenAI.CompletionUsage | null = null;
    for await (const chunk of stream) if (chunk.usage) last = chunk.usage;
    expect(last).not.toBeNull();
    const r = await recordOf(response.headers.get('x-llmops-event-id'));
    expect(r.usage).toMatchObject({
      input_tokens: last!.prompt_tokens,
      output_tokens: last!.completion_tokens,
    });
  });

  it('assembles streamed parallel tool calls into the record', async () => {
    primary.next({
      kind: 'tool-calls',
      calls: [
        { name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' },
        { name: 'get_time', arguments: '{"zone":"Europe/Paris"}' },
      ],
    });
    const { data: stream, response } = await client.chat.completions
      .create({
        model: 'gpt-4o-mini',
        stream: true,
        messages: [{ role: 'user', content: 'weather and time in Paris' }],
        tools: [
          { type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } },
          { type: 'function', function: { name: 'get_time', parameters: { type: 'object' } } },
        ],
      })
      .withResponse();
    // What an app does with tool-call deltas: join them by index.
    const calls: Array<{ id: string; name: string; arguments: string }> = [];
    for await (const chunk of stream) {
      for (const d of chunk.choices[0]?.delta.tool_calls ?? []) {
        calls[d.index] ??= { id: '', name: '', arguments: '' };
        const c = calls[d.index]!;
        c.id ||= d.id ?? '';
        c.name += d.function?.name ?? '';
        c.arguments += d.function?.arguments ?? '';
      }
    }
    expect(calls.map((c) => c.arguments)).toEqual([
      '{"city":"Paris","unit":"celsius"}',
      '{"zone":"Europe/Paris"}',
    ]);
    const r = await recordOf(response.headers.get('x-llmops-event-id'));
    expect(r.tool_calls).toEqual([
      {
        id: calls[0]!.id,
        name: 'get_weather',
        arguments: '{"city":"Paris","unit":"celsius"}',
        result: null,
        type: null,
        duration_ms: null,
      },
      {
        id: calls[1]!.id,
        name: 'get_time',
        arguments: '{"zone":"Europe/Paris"}',
        result: null,
        type: null,
        duration_ms: null,
      },
    ]);
    expect(r.finish_reasons).toEqual(['tool_calls']);
  });

  it('falls back to the next target when the first answers 500, before anything reached the client', async () => {
    primary.next({ kind: 'status', status: 500 });
    const before = backup.requests.length;
    const { data, response } = await client.chat.completions
      .create({ model: 'smart', messages: [{ role: 'user', content: 'fallback please' }] })
      .withResponse();
    expect(data.choices[0]!.message.content).toBe('echo: fallback please');
    expect(backup.requests.length).toBe(before + 1);
    expect(backup.requests.at(-1)!.body).toMatchObject({ model: 'gpt-4.1' });
    // Each upstream gets its own credential.
    expect(backup.requests.at(-1)!.headers.authorization).toBe('Bearer sk-backup-secret');
    const r = await recordOf(response.headers.get('x-llmops-event-id'));
    expect(r.gateway).toMatchObject({
      route: 'smart',
      upstream: 'backup',
      upstream_model: 'gpt-4.1',
    });
    expect(r.gateway!.attempts.map((a) => [a.upstream, a.outcome])).toEqual([
      ['primary', 'http_500'],
      ['backup', 'ok'],
    ]);
    expect(r.endpoint.kind).toBe('internal');
    expect(r.status).toBe('ok');
  });

  it("opens an upstream's circuit after five failures in a row: calls then go to the next target without trying it", async () => {
    const ask = async () => {
      const { response } = await client.chat.completions
        .create({ model: 'sturdy', messages: [{ role: 'user', content: 'steady' }] })
        .withResponse();
      return recordOf(response.headers.get('x-llmops-event-id'));
    };
    for (let i = 0; i < 5; i++) {
      flaky.next({ kind: 'status', status: 503 });
      const r = await ask();
      expect(r.gateway!.attempts.map((a) => [a.upstream, a.outcome])).toEqual([
        ['flaky', 'http_503'],
        ['backup', 'ok'],
      ]);
    }
    const tried = flaky.requests.length;
    const r = await ask();
    // The circuit is open: the flaky upstream is not even tried.
    expect(flaky.requests.length).toBe(tried);
    expect(r.gateway!.attempts.map((a) => [a.upstream, a.outcome])).toEqual([['backup', 'ok']]);
  });

  it('retries the same upstream after the Retry-After it asked for on a 429', async () => {
    primary.next({ kind: 'status', status: 429, headers: { 'retry-after': '0' } });
    const { data, response } = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'again' }] })
      .withResponse();
    expect(data.choices[0]!.message.content).toBe('echo: again');
    const r = await recordOf(response.headers.get('x-llmops-event-id'));
    expect(r.gateway!.attempts.map((a) => a.outcome)).toEqual(['http_429', 'ok']);
  });

  it("passes an upstream's 429 on with its Retry-After when it asks for longer than the gateway waits", async () => {
    primary.next({
      kind: 'status',
      status: 429,
      headers: { 'retry-after': '30', 'x-ratelimit-remaining-requests': '0' },
      body: {
        error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' },
      },
    });
    const err = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'later' }] })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    const e = err as InstanceType<typeof OpenAI.RateLimitError>;
    expect(e.headers.get('retry-after')).toBe('30');
    expect(e.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(e.message).toContain('Rate limit reached');
  });

  it("answers an unknown model with 404 model_not_found in OpenAI's shape, and records the refusal", async () => {
    const err = await client.chat.completions
      .create({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    const e = err as InstanceType<typeof OpenAI.NotFoundError>;
    expect(e.code).toBe('model_not_found');
    expect(e.message).toContain("'no-such-model' has no route");
    const r = await recordOf(e.headers?.get('x-llmops-event-id') ?? null);
    expect(r).toMatchObject({
      status: 'error',
      error_type: 'model_not_found',
      request_model: 'no-such-model',
      gateway: { route: 'no-such-model', upstream: null, attempts: [] },
    });
  });

  it('refuses a key without the gateway scope with 403, and one it does not know with 401', async () => {
    const ingestOnly = await h.key('acme', ['ingest']);
    const denied = await new OpenAI({
      apiKey: ingestOnly,
      baseURL: `${h.url}/v1`,
      maxRetries: 0,
    }).chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(denied).toBeInstanceOf(OpenAI.PermissionDeniedError);
    const unknown = await new OpenAI({
      apiKey: 'llm_nope',
      baseURL: `${h.url}/v1`,
      maxRetries: 0,
    }).chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(unknown).toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('passes an upstream 400 through as the upstream sent it', async () => {
    primary.next({
      kind: 'status',
      status: 400,
      body: {
        error: {
          message: 'bad temperature',
          type: 'invalid_request_error',
          param: 'temperature',
          code: null,
        },
      },
    });
    const err = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as Error).message).toContain('bad temperature');
  });

  it('aborts the upstream request when the client goes away mid-stream, and records the call as aborted', async () => {
    primary.next({ kind: 'pause-after', chunks: 2 });
    const controller = new AbortController();
    const { data: stream, response } = await client.chat.completions
      .create(
        {
          model: 'gpt-4o-mini',
          stream: true,
          messages: [{ role: 'user', content: 'a long answer please' }],
        },
        { signal: controller.signal },
      )
      .withResponse();
    const upstream = await primary.waitForRequest(primary.requests.length);
    let got = '';
    try {
      for await (const chunk of stream) {
        got += chunk.choices[0]?.delta.content ?? '';
        if (got.length > 0) controller.abort();
      }
    } catch {
      // the SDK reports the abort
    }
    await upstream.closed;
    expect(upstream.aborted).toBe(true);
    const r = await recordOf(response.headers.get('x-llmops-event-id'));
    expect(r).toMatchObject({ status: 'error', error_type: 'client_aborted' });
    expect(r.output_messages[0]?.content).toBe(got);
    // The usage never came: what was sent and received so far is counted, never zero.
    expect(r.gateway).toMatchObject({ usage_source: 'counted' });
    expect(r.usage.input_tokens).toBe(3 + 3 + 1 + countText('a long answer please'));
    expect(r.usage.output_tokens).toBe(countText(got));
    expect(r.usage.output_tokens).toBeGreaterThan(0);
  });

  it('serves the Responses API and records its input, output and usage', async () => {
    const { data, response } = await client.responses
      .create({ model: 'gpt-4o-mini', instructions: 'Be brief.', input: 'hello responses api' })
      .withResponse();
    expect(data.output_text).toBe('echo: hello responses api');
    expect(primary.requests.at(-1)!.path).toBe('/v1/responses');
    const r = await recordOf(response.headers.get('x-llmops-event-id'));
    expect(r).toMatchObject({
      operation: 'chat',
      request_model: 'gpt-4o-mini',
      response_id: data.id,
      system_instructions: 'Be brief.',
      input_messages: [{ role: 'user', content: 'hello responses api' }],
      output_messages: [{ role: 'assistant', content: 'echo: hello responses api' }],
      usage: { input_tokens: data.usage!.input_tokens, output_tokens: data.usage!.output_tokens },
      status: 'ok',
    });
  });

  it('streams the Responses API event by event and takes the usage from response.completed', async () => {
    const { data: stream, response } = await client.responses
      .create({ model: 'gpt-4o-mini', input: 'stream the responses api', stream: true })
      .withResponse();
    let text = '';
    let usage: { input_tokens: number; output_tokens: number } | undefined;
    const types: string[] = [];
    for await (const ev of stream) {
      types.push(ev.type);
      if (ev.type === 'response.output_text.delta') text += ev.delta;
      if (ev.type === 'response.completed') usage = ev.response.usage;
    }
    expect(text).toBe('echo: stream the responses api');
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    const r = await recordOf(response.headers.get('x-llmops-event-id'));
    expect(r.usage).toMatchObject({
      input_tokens: usage!.input_tokens,
      output_tokens: usage!.output_tokens,
    });
    expect(r.usage.input_tokens).toBeGreaterThan(0);
    expect(r.output_messages[0]!.content).toBe(text);
    expect(r.time_to_first_token_ms).not.toBeNull();
  });

  it('serves embeddings with the vectors untouched and records the inputs and their tokens', async () => {
    const { data, response } = await client.embeddings
      .create({ model: 'text-embedding-3-small', input: ['first text here', 'second'] })
      .withResponse();
    expect(data.data).toHaveLength(2);
    expect(data.data[0]!.embedding).toHaveLength(8);
    const r = await recordOf(response.headers.get('x-llmops-event-id'));
    expect(r).toMatchObject({
      operation: 'embeddings',
      input_messages: [
        { role: 'user', content: 'first text here' },
        { role: 'user', content: 'second' },
      ],
      output_messages: [],
      usage: { input_tokens: data.usage.prompt_tokens, output_tokens: 0 },
    });
  });

  it('calls an Azure OpenAI deployment on its own route, with api-key and api-version', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'azure-gpt', messages: [{ role: 'user', content: 'hello azure' }] })
      .withResponse();
    expect(data.choices[0]!.message.content).toBe('echo: hello azure');
    const got = backup.requests.at(-1)!;
    expect(got.path).toBe(
      '/openai/deployments/my-deployment/chat/completions?api-version=2024-10-21',
    );
    expect(got.headers['api-key']).toBe('azure-secret');
    expect(got.headers.authorization).toBeUndefined();
    const r = await recordOf(response.headers.get('x-llmops-event-id'));
    expect(r).toMatchObject({
      provider_name: 'azure.ai.openai',
      request_model: 'azure-gpt',
      gateway: { upstream: 'azure', upstream_model: 'my-deployment' },
    });
  });

  it('lists the models the key may call', async () => {
    const models = [];
    for await (const m of client.models.list()) models.push(m.id);
    expect(models.sort()).toEqual([
      'azure-gpt',
      'gpt-4o-mini',
      'smart',
      'sturdy',
      'text-embedding-3-small',
    ]);
  });
});
