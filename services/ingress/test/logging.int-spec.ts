import { PassThrough } from 'node:stream';
import { createLogger } from '@llmops/observability';
import { event, post, startHarness, type IngressHarness } from './ingress-harness';

describe('ingress logs', () => {
  let h: IngressHarness;
  let lines = '';

  beforeAll(async () => {
    const sink = new PassThrough();
    sink.on('data', (d: Buffer) => (lines += d.toString()));
    h = await startHarness(
      { LOG_LEVEL: 'trace' },
      createLogger('ingress', { level: 'trace', destination: sink }),
    );
  });
  afterAll(() => h.close());

  it('are JSON lines that never carry an API key, prompt text or response text', async () => {
    const key = await h.key('acme', ['ingest']);
    const secretPrompt = 'my card is 4111 1111 1111 1111, mail me at leak-canary@example.com';
    expect(
      (await post(h.url, key, event({ input_messages: [{ role: 'user', content: secretPrompt }] })))
        .status,
    ).toBe(202);
    expect(
      (
        await post(
          h.url,
          key,
          event({ output_messages: [{ role: 'assistant', content: secretPrompt }], usage: 'x' }),
        )
      ).status,
    ).toBe(400);
    const forged = key.slice(0, -4) + 'AAAA';
    expect((await post(h.url, forged, event())).status).toBe(401);

    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines.trim().split('\n')) {
      expect(() => {
        JSON.parse(line);
      }).not.toThrow();
    }
    expect(lines).toMatch(/authentication failed/);
    expect(lines).toContain(key.split('_')[1]); // the public key id is fine and useful
    expect(lines).not.toContain(key);
    expect(lines).not.toContain(forged);
    expect(lines).not.toContain('leak-canary');
    expect(lines).not.toContain('4111');
  });
});
