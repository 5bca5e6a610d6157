import { PassThrough } from 'node:stream';
import { REDACTED, createLogger, redactForLog } from './logger';

const CANARY = 'leak-canary-4111';

/** Logs through a real pino logger and returns the parsed lines. */
function capture(log: (logger: ReturnType<typeof createLogger>) => void) {
  const sink = new PassThrough();
  let text = '';
  sink.on('data', (d: Buffer) => (text += d.toString()));
  const logger = createLogger('test', { level: 'trace', destination: sink });
  log(logger);
  logger.flush();
  return {
    text: () => text,
    lines: () =>
      text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, any>),
  };
}

describe('createLogger', () => {
  it('redacts prompt and response text and credentials at any depth, in any key spelling', async () => {
    const out = capture((l) =>
      l.info(
        {
          event: {
            id: 'e-1',
            input_messages: [{ role: 'user', content: CANARY }],
            nested: { deeper: { outputMessages: CANARY, 'System-Instructions': CANARY } },
            tool_calls: [{ name: 'search', arguments: `{"q":"${CANARY}"}` }],
            retrievals: [{ content: CANARY }],
          },
          req: { headers: { Authorization: `Bearer ${CANARY}`, 'x-api-key': CANARY } },
          batch: [[{ prompt: CANARY }], [{ completion: CANARY, text: CANARY }]],
        },
        'an invocation',
      ),
    );
    await new Promise((r) => setImmediate(r));
    expect(out.text()).not.toContain(CANARY);
    const [line] = out.lines();
    expect(line!.event.id).toBe('e-1');
    expect(line!.event.input_messages).toBe(REDACTED);
    expect(line!.event.tool_calls[0]).toEqual({ name: 'search', arguments: REDACTED });
    expect(line!.req.headers).toEqual({ Authorization: REDACTED, 'x-api-key': REDACTED });
  });

  it('serialises an error with its stack and its causes, each with its own stack', async () => {
    const root = new Error('connection refused');
    const err = new Error('publish failed', { cause: root });
    const out = capture((l) => l.error({ err, topic: 't' }, 'publish failed'));
    await new Promise((r) => setImmediate(r));
    const [line] = out.lines();
    expect(line!.err).toMatchObject({ type: 'Error', message: 'publish failed' });
    expect(line!.err.stack).toMatch(/^Error: publish failed\n\s+at /);
    expect(line!.err.cause).toMatchObject({ type: 'Error', message: 'connection refused' });
    expect(line!.err.cause.stack).toMatch(/^Error: connection refused\n\s+at /);
  });

  it('serialises an error passed alone, and errors nested under other keys', async () => {
    const out = capture((l) => {
      l.warn(new TypeError('bad'));
      l.warn({ failures: [{ err: new RangeError('too far') }] }, 'some failed');
    });
    await new Promise((r) => setImmediate(r));
    const [alone, nested] = out.lines();
    expect(alone!.err).toMatchObject({ type: 'TypeError', message: 'bad' });
    expect(alone!.err.stack).toMatch(/TypeError: bad/);
    expect(alone!.msg).toBe('bad');
    expect(nested!.failures[0].err).toMatchObject({ type: 'RangeError', message: 'too far' });
  });

  it('redacts sensitive fields an error carries', async () => {
    const err = Object.assign(new Error('upstream said 400'), {
      status: 400,
      body: { messages: [{ content: CANARY }] },
    });
    const out = capture((l) => l.error({ err }, 'upstream error'));
    await new Promise((r) => setImmediate(r));
    expect(out.text()).not.toContain(CANARY);
    expect(out.lines()[0]!.err).toMatchObject({ status: 400, body: REDACTED });
  });

  it('redacts child logger bindings too', async () => {
    const out = capture((l) => l.child({ component: 'x', prompt: CANARY }).info('hello'));
    await new Promise((r) => setImmediate(r));
    expect(out.text()).not.toContain(CANARY);
    expect(out.lines()[0]).toMatchObject({ component: 'x', prompt: REDACTED });
  });

  it("keeps every parent's bindings in a grandchild", async () => {
    const out = capture((l) =>
      l
        .child({ component: 'a' })
        .child({ part: 'b', headers: { authorization: CANARY } })
        .info('hi'),
    );
    await new Promise((r) => setImmediate(r));
    expect(out.text()).not.toContain(CANARY);
    expect(out.lines()[0]).toMatchObject({
      service: 'test',
      component: 'a',
      part: 'b',
      headers: { authorization: REDACTED },
    });
  });
});

describe('redactForLog', () => {
  it('survives cycles and cuts deep nesting', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    let deep: Record<string, unknown> = { content: CANARY };
    for (let i = 0; i < 50; i++) deep = { next: deep };
    const out = redactForLog({ a, deep }) as Record<string, any>;
    expect(out.a.self).toBe('[circular]');
    expect(JSON.stringify(out)).not.toContain(CANARY);
    expect(JSON.stringify(out)).toContain('[cut: nested too deep]');
  });

  it('logs a shared object twice rather than calling it circular', () => {
    const shared = { id: 1 };
    expect(redactForLog({ x: shared, y: shared })).toEqual({ x: { id: 1 }, y: { id: 1 } });
  });

  it('leaves the logged object as it was', () => {
    const input = { messages: [{ content: CANARY }], n: 1 };
    const before = structuredClone(input);
    redactForLog(input);
    expect(input).toEqual(before);
  });

  it('prints binary data by its size only', () => {
    expect(redactForLog({ value: Buffer.from(CANARY) })).toEqual({ value: '[binary: 16 bytes]' });
  });

  it('keeps nulls, numbers and harmless keys', () => {
    expect(redactForLog({ content: null, tokens: 5, model: 'gpt-4o' })).toEqual({
      content: null,
      tokens: 5,
      model: 'gpt-4o',
    });
  });
});
