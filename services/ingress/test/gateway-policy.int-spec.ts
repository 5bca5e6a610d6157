import OpenAI from 'openai';
import { LocalOpenAIUpstream } from '@llmops/testing';
import { startGatewayHarness, type GatewayHarness } from './gateway-harness';

const EMAIL = 'jane.doe@example.com';

/**
 * What the gateway checks before a call, per tenant, with the official `openai` client: PII
 * policies per endpoint kind (the upstream, an external endpoint, asserts what it received) and
 * model allowlists per tenant and app.
 */
describe('gateway: PII policy and model allowlists before the call', () => {
  let h: GatewayHarness;
  let upstream: LocalOpenAIUpstream;
  const clients: Record<string, OpenAI> = {};

  beforeAll(async () => {
    upstream = await LocalOpenAIUpstream.start();
    h = await startGatewayHarness(
      [
        'upstreams:',
        `  - { name: ext, base_url: "${upstream.baseUrl}", format: openai, endpoint_kind: external, credential: { env: EXT_KEY } }`,
        'routes:',
        '  - { model: gpt-4o-mini, targets: [{ upstream: ext }] }',
        '  - { model: gpt-4.1, targets: [{ upstream: ext }] }',
        '  - { model: o3-pro, targets: [{ upstream: ext }] }',
        'pii: { external: redact }',
        'tenants:',
        '  allowco: { pii: { external: allow }, accept_caller_keys: true }',
        '  blockco: { pii: { external: block } }',
        '  restoreco: { pii: { external: restore } }',
        '  listco:',
        '    pii: { external: allow }',
        '    models: [gpt-4o-mini, gpt-4*]',
        '    apps: { intern-bot: { models: [gpt-4o-mini] } }',
      ],
      { EXT_KEY: 'sk-ext' },
    );
    for (const tenant of ['redactco', 'allowco', 'blockco', 'restoreco', 'listco']) {
      clients[tenant] = new OpenAI({
        apiKey: await h.key(tenant, ['gateway']),
        baseURL: `${h.url}/v1`,
        maxRetries: 0,
      });
    }
  });

  afterAll(async () => {
    await h?.close();
    await upstream?.close();
  });

  const messages = [{ role: 'user' as const, content: `please mail ${EMAIL} today` }];
  const ask = (tenant: string) =>
    clients[tenant]!.chat.completions.create({ model: 'gpt-4o-mini', messages });
  const askStreamed = (tenant: string) =>
    clients[tenant]!.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });

  it('sends placeholders instead of the values under redact (the default), and records what it found', async () => {
    const { data, response } = await clients
      .redactco!.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: `please mail ${EMAIL} today` }],
      })
      .withResponse();
    const got = upstream.requests.at(-1)!;
    expect(got.raw).not.toContain(EMAIL);
    expect(got.body).toMatchObject({ messages: [{ content: 'please mail <EMAIL_1> today' }] });
    expect(data.choices[0]!.message.content).toBe('echo: please mail <EMAIL_1> today');
    const r = await h.recordOf(response.headers.get('x-llmops-event-id'));
    // The record keeps what the client sent (the raw topic; the pii-scanner redacts it for storage).
    expect(r.input_messages[0]!.content).toBe(`please mail ${EMAIL} today`);
    expect(r.gateway).toMatchObject({ pii_action: 'redact', pii_types: ['EMAIL'] });
  });

  it('sends the request as it is under allow', async () => {
    await ask('allowco');
    expect(upstream.requests.at(-1)!.raw).toContain(EMAIL);
  });

  it('refuses the call under block with 400 naming the types, without calling the upstream', async () => {
    const before = upstream.requests.length;
    const err = await ask('blockco').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    const e = err as InstanceType<typeof OpenAI.BadRequestError>;
    expect(e.code).toBe('pii_blocked');
    expect(e.message).toContain('EMAIL');
    expect(e.message).not.toContain(EMAIL);
    expect(upstream.requests.length).toBe(before);
    const r = await h.recordOf(
      (e.headers as Headers | undefined)?.get('x-llmops-event-id') ?? null,
    );
    expect(r).toMatchObject({ status: 'error', error_type: 'pii_blocked' });
    expect(r.gateway).toMatchObject({ pii_action: 'block', pii_types: ['EMAIL'], attempts: [] });
  });

  it('puts the values back into the answer under restore, while the upstream never sees them', async () => {
    const answer = await ask('restoreco');
    expect(upstream.requests.at(-1)!.raw).not.toContain(EMAIL);
    expect(answer.choices[0]!.message.content).toBe(`echo: please mail ${EMAIL} today`);
  });

  it('puts the values back into a streamed answer too', async () => {
    const stream = await askStreamed('restoreco');
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(upstream.requests.at(-1)!.raw).not.toContain(EMAIL);
    expect(text).toBe(`echo: please mail ${EMAIL} today`);
  });

  it("refuses a model outside the tenant's allowlist with 403 before any upstream call, and lists only the allowed ones", async () => {
    const client = clients.listco!;
    const before = upstream.requests.length;
    const err = await client.chat.completions.create({ model: 'o3-pro', messages }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(OpenAI.PermissionDeniedError);
    const e = err as InstanceType<typeof OpenAI.PermissionDeniedError>;
    expect(e.code).toBe('model_not_allowed');
    expect(e.message).toContain('gpt-4o-mini, gpt-4*');
    expect(upstream.requests.length).toBe(before);
    const r = await h.recordOf(
      (e.headers as Headers | undefined)?.get('x-llmops-event-id') ?? null,
    );
    expect(r).toMatchObject({ status: 'error', error_type: 'model_not_allowed' });

    // A prefix with * allows gpt-4.1; other tenants see every route.
    expect(
      (await client.chat.completions.create({ model: 'gpt-4.1', messages })).choices,
    ).toHaveLength(1);
    const listed = [];
    for await (const m of client.models.list()) listed.push(m.id);
    expect(listed.sort()).toEqual(['gpt-4.1', 'gpt-4o-mini']);
    const everything = [];
    for await (const m of clients.allowco!.models.list()) everything.push(m.id);
    expect(everything.sort()).toEqual(['gpt-4.1', 'gpt-4o-mini', 'o3-pro']);
  });

  it("narrows the tenant's allowlist per app", async () => {
    const client = clients.listco!;
    const headers = { 'x-llmops-app-id': 'intern-bot' };
    const err = await client.chat.completions
      .create({ model: 'gpt-4.1', messages }, { headers })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((err as Error).message).toContain('this app may call (gpt-4o-mini)');
    const ok = await client.chat.completions.create(
      { model: 'gpt-4o-mini', messages },
      { headers },
    );
    expect(ok.choices).toHaveLength(1);
  });
  it("sends a caller's own provider key instead of the gateway's where the tenant accepts them, and refuses it elsewhere", async () => {
    const own = 'sk-caller-own-0123456789';
    const { response } = await clients
      .allowco!.chat.completions.create(
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
        { headers: { 'x-llmops-provider-key': own } },
      )
      .withResponse();
    const sent = upstream.requests.at(-1)!;
    expect(sent.headers.authorization).toBe(`Bearer ${own}`);
    // The gateway's credential is used when the caller sends none.
    await clients.allowco!.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(upstream.requests.at(-1)!.headers.authorization).toBe('Bearer sk-ext');
    const record = await h.recordOf(response.headers.get('x-llmops-event-id'));
    expect(JSON.stringify(record)).not.toContain(own);

    const before = upstream.requests.length;
    const err = await clients
      .redactco!.chat.completions.create(
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
        { headers: { 'x-llmops-provider-key': own } },
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((err as InstanceType<typeof OpenAI.APIError>).code).toBe('provider_key_not_allowed');
    expect(upstream.requests.length).toBe(before);
  });
});
