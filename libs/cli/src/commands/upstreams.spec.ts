import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../args';
import type { CliContext } from '../context';
import {
  parseUpstreamsArgs,
  upstreamsCommand,
  upstreamsTable,
  type UpstreamView,
} from './upstreams';

const view: UpstreamView = {
  name: 'ollama',
  base_url: 'http://127.0.0.1:11434/v1',
  format: 'openai',
  endpoint_kind: 'internal',
  revision: 1,
  changed_at: '2026-01-02T12:00:00.000Z',
  changed_by: { source: 'api', key_id: '0123456789abcdef', tenant_id: 'ops', file: null },
};

describe('parseUpstreamsArgs', () => {
  it('turns add into the body of PUT /v1/admin/upstreams/<name>', () => {
    expect(
      parseUpstreamsArgs([
        'add',
        'openai',
        '--base-url',
        'https://api.openai.com/v1',
        '--format',
        'openai',
        '--endpoint-kind',
        'external',
        '--credential-env',
        'OPENAI_API_KEY',
        '--connect-timeout-ms',
        '2000',
        '--total-timeout-ms',
        'soon',
      ]),
    ).toEqual({
      sub: 'add',
      name: 'openai',
      body: {
        base_url: 'https://api.openai.com/v1',
        format: 'openai',
        endpoint_kind: 'external',
        credential: { env: 'OPENAI_API_KEY' },
        // Not a number: sent as it is, so the API's one validation names the flag's field.
        timeouts: { connect_ms: 2000, total_ms: 'soon' },
      },
    });
  });

  it('sends a credential file and an Azure api-version as given', () => {
    expect(
      parseUpstreamsArgs([
        'add',
        'az',
        '--credential-file',
        '/run/secrets/azure',
        '--api-version',
        '2024-10-21',
      ]),
    ).toMatchObject({
      body: { credential: { file: '/run/secrets/azure' }, api_version: '2024-10-21' },
    });
  });

  it('reads list and remove', () => {
    expect(parseUpstreamsArgs(['list', '--json'])).toEqual({ sub: 'list', json: true });
    expect(parseUpstreamsArgs(['remove', 'ollama'])).toEqual({ sub: 'remove', name: 'ollama' });
  });

  it.each([
    [['purge'], /^upstreams: expected add, list or remove/],
    [['add'], /^upstreams add: give one upstream name/],
    [['add', 'a', 'b'], /^upstreams add: give one upstream name/],
    [['add', 'a', '--credential-env', 'A', '--credential-file', '/f'], /not both/],
    [['add', 'a', '--credential', 'sk-secret'], /^upstreams add: .*'--credential'/],
    [['list', 'extra'], /^upstreams list: unexpected argument 'extra'/],
    [['remove'], /^upstreams remove: give one upstream name/],
  ])('refuses %j as a usage error', (argv, message) => {
    expect(() => parseUpstreamsArgs(argv)).toThrow(UsageError);
    expect(() => parseUpstreamsArgs(argv)).toThrow(message);
  });
});

describe('upstreamsTable', () => {
  it('aligns the upstreams under a heading, with where each credential is read from and who changed it', () => {
    expect(
      upstreamsTable([
        view,
        {
          ...view,
          name: 'openai-main',
          base_url: 'https://api.openai.com/v1',
          endpoint_kind: 'external',
          credential: { env: 'OPENAI_API_KEY' },
          revision: 12,
          changed_by: { source: 'config_file', key_id: null, tenant_id: null, file: 'gw.yaml' },
        },
      ]),
    ).toEqual([
      'NAME         FORMAT  ENDPOINT  BASE URL                   CREDENTIAL          REV  CHANGED                   BY',
      'ollama       openai  internal  http://127.0.0.1:11434/v1  none                1    2026-01-02T12:00:00.000Z  key 0123456789abcdef (ops)',
      'openai-main  openai  external  https://api.openai.com/v1  env OPENAI_API_KEY  12   2026-01-02T12:00:00.000Z  file gw.yaml',
    ]);
  });
});

/** A stand-in ingress admin API: records each request and answers the next scripted answer. */
async function fakeIngress(answers: Array<{ status: number; body?: unknown }>) {
  const seen: Array<{ method: string; url: string; auth: string; body: unknown }> = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      seen.push({
        method: req.method!,
        url: req.url!,
        auth: req.headers.authorization ?? '',
        body: raw ? JSON.parse(raw) : undefined,
      });
      const a = answers.shift() ?? { status: 500 };
      res.writeHead(a.status, { 'content-type': 'application/json' });
      res.end(a.body === undefined ? '' : JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

function context(url: string) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx = {
    config: { LLMOPS_URL: url, LLMOPS_API_KEY: 'llm_admin', INGRESS_PORT: 8080 },
    repoRoot: '/nonexistent',
    out: (l: string) => out.push(l),
    err: (l: string) => err.push(l),
  } as unknown as CliContext;
  return { ctx, out, err };
}

describe('upstreamsCommand', () => {
  it('puts the upstream with the admin key and prints what the API stored', async () => {
    const ingress = await fakeIngress([{ status: 201, body: view }]);
    try {
      const { ctx, out, err } = context(ingress.url);
      const argv = ['add', 'ollama', '--base-url', view.base_url, '--format', 'openai'];
      expect(await upstreamsCommand(ctx, [...argv, '--endpoint-kind', 'internal'])).toBe(0);
      expect(ingress.seen).toEqual([
        {
          method: 'PUT',
          url: '/v1/admin/upstreams/ollama',
          auth: 'Bearer llm_admin',
          body: { base_url: view.base_url, format: 'openai', endpoint_kind: 'internal' },
        },
      ]);
      expect(err).toEqual([`added upstream ollama (revision 1) at ${ingress.url}`]);
      expect(out[1]).toMatch(/^ollama +openai +internal/);
    } finally {
      await ingress.close();
    }
  });

  it("prints the API's answer for --json, and says when there are none", async () => {
    const ingress = await fakeIngress([
      { status: 200, body: { upstreams: [view] } },
      { status: 200, body: { upstreams: [] } },
    ]);
    try {
      const { ctx, out, err } = context(ingress.url);
      await upstreamsCommand(ctx, ['list', '--json']);
      expect(JSON.parse(out[0]!)).toEqual({ upstreams: [view] });
      await upstreamsCommand(ctx, ['list']);
      expect(err).toEqual(['no upstreams']);
    } finally {
      await ingress.close();
    }
  });

  it('prints a refusal as the API says it, each field it names as the flag that sets it', async () => {
    const ingress = await fakeIngress([
      {
        status: 400,
        body: {
          error: {
            status: 400,
            code: 'invalid_upstream',
            message: "upstream 'x' is not valid: base_url Invalid URL",
            details: [
              { path: 'base_url', message: 'Invalid URL' },
              { path: 'timeouts.total_ms', message: 'Too big' },
            ],
          },
        },
      },
      {
        status: 409,
        body: {
          error: {
            status: 409,
            code: 'upstream_in_use',
            message: "upstream 'x' is a target of the routes 'm'",
          },
        },
      },
    ]);
    try {
      const { ctx } = context(ingress.url);
      const add = upstreamsCommand(ctx, ['add', 'x', '--base-url', 'nope']);
      await expect(add).rejects.toThrow(UsageError);
      await expect(add).rejects.toThrow(
        "upstreams add: upstream 'x' is not valid: base_url Invalid URL\n  --base-url: Invalid URL\n  --total-timeout-ms: Too big",
      );
      const remove = upstreamsCommand(ctx, ['remove', 'x']);
      await expect(remove).rejects.not.toThrow(UsageError);
      await expect(remove).rejects.toThrow(
        "upstreams remove: upstream 'x' is a target of the routes 'm'",
      );
    } finally {
      await ingress.close();
    }
  });

  it('says how to reach the ingress when nothing answers', async () => {
    const ingress = await fakeIngress([]);
    await ingress.close();
    const { ctx } = context(ingress.url);
    await expect(upstreamsCommand(ctx, ['list'])).rejects.toThrow(
      new RegExp(
        `^upstreams list: the ingress at ${ingress.url} is not reachable \\(ECONNREFUSED\\); check LLMOPS_URL`,
      ),
    );
  });

  it('asks for an admin key when there is none', async () => {
    const { ctx } = context('http://127.0.0.1:9');
    (ctx.config as { LLMOPS_API_KEY?: string }).LLMOPS_API_KEY = undefined;
    await expect(upstreamsCommand(ctx, ['list'])).rejects.toThrow(/set LLMOPS_API_KEY/);
  });
});
