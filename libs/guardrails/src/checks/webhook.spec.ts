import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GuardrailEngine } from '../engine';
import { GuardrailConfigError } from '../errors';
import type { GuardrailItem } from '../item';
import type { RuleInput } from '../rule-schema';
import { ruleSchema } from '../rule-schema';

const SECRET = 'test-secret-0123456789';
const secrets = (name: string) => (name === 'POLICY_HOOK_KEY' ? SECRET : undefined);

let server: Server;
let base: string;
let handler: (req: IncomingMessage, body: string, res: ServerResponse) => void;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => handler(req, body, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function engine(overrides: Partial<RuleInput> = {}, path = '/check'): GuardrailEngine {
  const rule = ruleSchema.parse({
    id: 'policy-hook',
    stage: 'input',
    check: { type: 'webhook', url: `${base}${path}`, secret_env: 'POLICY_HOOK_KEY' },
    action: 'block',
    severity: 'high',
    timeout_ms: 2000,
    ...overrides,
  });
  return new GuardrailEngine([rule], { webhooks: { secrets } });
}

const item: GuardrailItem = {
  stage: 'input',
  messages: [{ role: 'user', content: 'transfer everything to account 42' }],
  context: { tenant: 't1', app_id: 'bank' },
};

function answer(status: number, body: unknown) {
  return (_req: IncomingMessage, _body: string, res: ServerResponse) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
}

describe('webhook check', () => {
  it('posts the item signed with HMAC-SHA256 and takes the answer as the verdict', async () => {
    let seen: { signature: string; body: string } | undefined;
    handler = (req, body, res) => {
      seen = { signature: String(req.headers['x-llmops-signature']), body };
      answer(200, { violated: true, detail: 'transfer over limit' })(req, body, res);
    };
    const result = await engine().evaluateAsync(item);
    expect(result.blocked).toBe(true);
    expect(result.decisions).toMatchObject([
      {
        rule_id: 'policy-hook',
        outcome: 'violated',
        detail: expect.stringContaining('transfer over limit'),
      },
    ]);
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(seen!.signature)!;
    expect(createHmac('sha256', SECRET).update(`${t}.${seen!.body}`).digest('hex')).toBe(v1);
    expect(JSON.parse(seen!.body)).toMatchObject({
      stage: 'input',
      segments: [{ name: 'messages[0]', text: 'transfer everything to account 42' }],
      context: { tenant: 't1', app_id: 'bank' },
    });
  });

  it('passes when the webhook says the item is clean', async () => {
    handler = answer(200, { violated: false });
    expect((await engine().evaluateAsync(item)).decisions).toEqual([]);
  });

  it('blocks when a fail-closed webhook does not answer in time, and passes when it fails open, both recorded', async () => {
    handler = () => undefined; // never answers
    const closed = await engine({ timeout_ms: 100, on_error: 'fail_closed' }).evaluateAsync(item);
    expect(closed.blocked).toBe(true);
    expect(closed.decisions).toMatchObject([
      { outcome: 'error_blocked', detail: 'no answer within timeout_ms 100' },
    ]);
    const open = await engine({ timeout_ms: 100, on_error: 'fail_open' }).evaluateAsync(item);
    expect(open.blocked).toBe(false);
    expect(open.decisions).toMatchObject([
      { outcome: 'error_passed', detail: 'no answer within timeout_ms 100' },
    ]);
  });

  it('retries a 5xx within the time limit, then takes the answer', async () => {
    let calls = 0;
    handler = (req, body, res) => {
      calls++;
      (calls === 1 ? answer(503, 'busy') : answer(200, { violated: true }))(req, body, res);
    };
    const result = await engine().evaluateAsync(item);
    expect(calls).toBe(2);
    expect(result.decisions).toMatchObject([{ outcome: 'violated' }]);
  });

  it('fails, by the rule, on an answer that is not the verdict JSON or a 4xx', async () => {
    handler = answer(200, { ok: true });
    expect((await engine().evaluateAsync(item)).decisions).toMatchObject([
      { outcome: 'error_blocked', detail: expect.stringContaining('did not answer {"violated"') },
    ]);
    handler = answer(401, { error: 'bad signature' });
    expect((await engine({ on_error: 'fail_open' }).evaluateAsync(item)).decisions).toMatchObject([
      { outcome: 'error_passed', detail: 'check failed: the webhook answered 401' },
    ]);
  });

  it('is never skipped: the synchronous evaluation fails it by its error policy', () => {
    expect(engine().evaluate(item).decisions).toMatchObject([
      { outcome: 'error_blocked', detail: expect.stringContaining('only by evaluateAsync') },
    ]);
    expect(engine().hasAsync('input')).toBe(true);
    expect(engine().evaluate(item, undefined, { skipAsync: true }).decisions).toEqual([]);
  });

  it('refuses a secret the process does not have, plain http to another host, and nesting', () => {
    const rule = (check: object) =>
      ruleSchema.parse({ id: 'w', stage: 'input', check, action: 'block', severity: 'high' });
    expect(
      () =>
        new GuardrailEngine(
          [rule({ type: 'webhook', url: `${base}/x`, secret_env: 'MISSING_KEY' })],
          {
            webhooks: { secrets },
          },
        ),
    ).toThrow('names MISSING_KEY, which is not set on this process');
    expect(
      () =>
        new GuardrailEngine(
          [
            rule({
              type: 'webhook',
              url: 'http://policy.example/x',
              secret_env: 'POLICY_HOOK_KEY',
            }),
          ],
          { webhooks: { secrets } },
        ),
    ).toThrow(GuardrailConfigError);
    expect(
      () =>
        new GuardrailEngine(
          [
            rule({
              type: 'not',
              check: { type: 'webhook', url: `${base}/x`, secret_env: 'POLICY_HOOK_KEY' },
            }),
          ],
          { webhooks: { secrets } },
        ),
    ).toThrow('may not nest a webhook check');
  });
});
