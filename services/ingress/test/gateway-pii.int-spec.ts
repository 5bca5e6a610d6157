import OpenAI from 'openai';
import { LocalOpenAIUpstream } from '@llmops/testing';
import { startGatewayHarness, type GatewayHarness } from './gateway-harness';

const EMAIL = 'jane.doe@example.com';

/**
 * PII policies per tenant and endpoint kind, with the official `openai` client: the upstream
 * (an external endpoint) asserts what it received.
 */
describe('gateway: PII policy before the call', () => {
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
        'pii: { external: redact }',
        'tenants:',
        '  allowco: { pii: { external: allow } }',
        '  blockco: { pii: { external: block } }',
        '  restoreco: { pii: { external: restore } }',
      ],
      { EXT_KEY: 'sk-ext' },
    );
    for (const tenant of ['redactco', 'allowco', 'blockco', 'restoreco']) {
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
});
