import { PassThrough } from 'node:stream';
import { createLogger, type Logger } from '@llmops/observability';
import { waitFor } from '@llmops/testing';
import { event, post, startHarness, type IngressHarness } from './ingress-harness';

describe('ingress logs', () => {
  let h: IngressHarness;
  let logger: Logger;
  let lines = '';

  beforeAll(async () => {
    const sink = new PassThrough();
    sink.on('data', (d: Buffer) => (lines += d.toString()));
    logger = createLogger('ingress', { level: 'trace', destination: sink });
    // Nothing listens on port 1: the ingress logs the Redis connection errors it gets.
    h = await startHarness({ LOG_LEVEL: 'trace', REDIS_URL: 'redis://127.0.0.1:1' }, logger);
  });
  afterAll(() => h.close());

  const records = () =>
    lines
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, any>);

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

  it('never carry prompt or response text nested at any depth of a logged object', () => {
    const canary = 'nested-canary-7e1f@example.com';
    // What a debug line dumping a gateway request or a decoded record would hold.
    logger.child({ component: 'gateway' }).debug(
      {
        request: {
          headers: { authorization: `Bearer ${canary}`, 'x-api-key': canary },
          body: { model: 'gpt-4o', messages: [{ role: 'user', content: canary }] },
        },
        record: {
          invocation: {
            input_messages: [{ role: 'user', content: canary }],
            output_messages: [{ role: 'assistant', content: canary }],
            system_instructions: canary,
            tool_calls: [{ name: 'search', arguments: canary }],
            retrievals: [{ content: canary }],
            deeper: { still: { deeper: { prompt: canary, completion: canary, text: canary } } },
          },
        },
      },
      'upstream call',
    );
    logger.flush();
    expect(lines).toContain('upstream call');
    expect(lines).not.toContain('nested-canary');
    const line = records().find((r) => r.msg === 'upstream call')!;
    expect(line.record.invocation.tool_calls[0].name).toBe('search');
    expect(line.request.body).toBe('[redacted]');
  });

  it('serialise errors as objects with their stack', async () => {
    await waitFor('the ingress to log a Redis connection error', () =>
      records().some((r) => r.msg === 'Redis connection error'),
    );
    const line = records().find((r) => r.msg === 'Redis connection error')!;
    expect(line.err).toMatchObject({
      type: 'Error',
      message: expect.stringMatching(/ECONNREFUSED/),
    });
    expect(line.err.stack).toMatch(/ECONNREFUSED[\s\S]*\n\s+at /);
  });
});
