import OpenAI from 'openai';
import { LocalOpenAIUpstream } from '@llmops/testing';
import { startGatewayHarness, type GatewayHarness } from './gateway-harness';

/** SIGTERM's path (`app.close()`) while a streamed call is under way. */
describe('gateway: clean shutdown', () => {
  let h: GatewayHarness;
  let upstream: LocalOpenAIUpstream;

  beforeAll(async () => {
    upstream = await LocalOpenAIUpstream.start();
    h = await startGatewayHarness(
      [
        'upstreams:',
        `  - { name: ext, base_url: "${upstream.baseUrl}", format: openai, endpoint_kind: internal, credential: { env: EXT_KEY } }`,
        'routes:',
        '  - { model: gpt-4o-mini, targets: [{ upstream: ext }] }',
      ],
      { EXT_KEY: 'sk-ext' },
    );
  });

  afterAll(async () => {
    await h?.close();
    await upstream?.close();
  });

  it('lets a call under way finish and keeps its record before the producer closes', async () => {
    const client = new OpenAI({
      apiKey: await h.key('acme', ['gateway']),
      baseURL: `${h.url}/v1`,
      maxRetries: 0,
    });
    upstream.next({ kind: 'pause-after', chunks: 2 });
    const { data: stream, response } = await client.chat.completions
      .create({
        model: 'gpt-4o-mini',
        stream: true,
        messages: [{ role: 'user', content: 'finish me during the shutdown' }],
      })
      .withResponse();
    const closing = h.app.close();
    upstream.resume();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    await closing;
    expect(text).toBe('echo: finish me during the shutdown');
    const r = await h.recordOf(response.headers.get('x-llmops-event-id'));
    expect(r.status).toBe('ok');
  });
});
