import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ConfigError } from '@llmops/config';
import { loadGatewayRoutes } from './gateway-config';

describe('loadGatewayRoutes', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'gw-config-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const problems = (f: string, vars: Record<string, string> = {}) => {
    try {
      loadGatewayRoutes(f, vars);
    } catch (err) {
      if (err instanceof ConfigError) return err.problems.join('\n');
      throw err;
    }
    throw new Error('expected a ConfigError');
  };

  it('reads upstreams with their credentials and routes with their targets', () => {
    const secretFile = file('secret', 'sk-from-file\n');
    const r = loadGatewayRoutes(
      file(
        'ok.yaml',
        `upstreams:
  - { name: a, base_url: "http://127.0.0.1:9/v1", format: openai, endpoint_kind: internal, credential: { env: A_KEY } }
  - { name: b, base_url: "https://api.example.com/v1/", format: openai, endpoint_kind: external, credential: { file: "${secretFile}" }, timeouts: { connect_ms: 100 } }
routes:
  - model: fast
    targets: [{ upstream: a, model: small }, { upstream: b, weight: 2 }]
`,
      ),
      { A_KEY: 'sk-from-env' },
    );
    const a = r.upstreams.get('a')!;
    expect(a.credential).toBe('sk-from-env');
    expect(a.baseUrl.href).toBe('http://127.0.0.1:9/v1/');
    expect(r.upstreams.get('b')!.credential).toBe('sk-from-file');
    expect(r.upstreams.get('b')!.timeouts).toEqual({
      connectMs: 100,
      firstByteMs: 120_000,
      totalMs: 600_000,
    });
    expect(r.routes.get('fast')!.map((t) => [t.upstream.name, t.model, t.weight])).toEqual([
      ['a', 'small', undefined],
      ['b', 'fast', 2],
    ]);
  });

  it('has no routes without a file', () => {
    expect(loadGatewayRoutes(undefined, {}).routes.size).toBe(0);
  });

  it('names every problem with its place, and never the value of a credential', () => {
    const text = problems(
      file(
        'bad.yaml',
        `upstreams:
  - { name: a, base_url: "ftp://x", format: openai, endpoint_kind: internal }
  - { name: c, base_url: "http://x/v1", format: openai, endpoint_kind: moon }
routes:
  - { model: m, targets: [] }
`,
      ),
    );
    expect(text).toContain('upstreams.0.base_url');
    expect(text).toContain('upstreams.1.endpoint_kind');
    expect(text).toContain('routes.0.targets');
  });

  it('refuses routes to undeclared upstreams and credentials that are missing', () => {
    const text = problems(
      file(
        'refs.yaml',
        `upstreams:
  - { name: a, base_url: "http://x/v1", format: openai, endpoint_kind: internal, credential: { env: NOT_SET } }
routes:
  - { model: m, targets: [{ upstream: ghost }] }
`,
      ),
    );
    expect(text).toContain('credential variable NOT_SET is not set');
    expect(text).toContain("upstream 'ghost' is not declared (declared: a)");
  });

  it('needs the api_version of an azure-openai upstream', () => {
    const text = problems(
      file(
        'azure.yaml',
        `upstreams:
  - { name: az, base_url: "https://x.openai.azure.com", format: azure-openai, endpoint_kind: external }
`,
      ),
    );
    expect(text).toContain('api_version is required for azure-openai');
  });

  it('says when the file cannot be read or is not YAML', () => {
    expect(problems(path.join(dir, 'missing.yaml'))).toContain('cannot read');
    expect(problems(file('broken.yaml', 'upstreams: [\n'))).toContain('not valid YAML');
  });
});
