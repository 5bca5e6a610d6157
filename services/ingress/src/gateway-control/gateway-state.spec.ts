import { createLogger } from '@llmops/observability';
import type { CredentialSpec, RouteSpec, UpstreamSpec } from '../gateway/gateway-config';
import { Router } from '../gateway/router';
import { canonicalJson } from './gateway-entry-input';
import { resolveState, type KnownUpstream } from './gateway-state';

const silent = createLogger('test', { level: 'silent' });

function upstream(name: string, change: Partial<UpstreamSpec> = {}) {
  const spec: UpstreamSpec = {
    name,
    base_url: `http://${name}.local/v1`,
    format: 'openai',
    endpoint_kind: 'internal',
    timeouts: { connect_ms: 1, first_byte_ms: 1, total_ms: 1 },
    ...change,
  };
  return { spec, json: canonicalJson(spec) };
}

const vars: Record<string, string> = { A_KEY: 'sk-a' };
const read = (c: CredentialSpec) =>
  'env' in c && vars[c.env]
    ? { value: vars[c.env]! }
    : { field: 'env' as const, problem: 'credential variable is not set', detail: 'not set' };

function state(
  upstreams: ReturnType<typeof upstream>[],
  routes: RouteSpec[],
  previous: ReadonlyMap<string, KnownUpstream> = new Map(),
) {
  return resolveState({ upstreams, routes }, previous, read, silent);
}

describe('resolveState', () => {
  it('resolves upstreams with their credentials and routes with their targets', () => {
    const s = state(
      [upstream('a', { credential: { env: 'A_KEY' } }), upstream('b')],
      [
        {
          model: 'm',
          targets: [
            { upstream: 'a', model: 'small' },
            { upstream: 'b', weight: 2 },
          ],
        },
      ],
    );
    expect(s.upstreams.get('a')!.credential).toBe('sk-a');
    expect(s.routes.get('m')!.map((t) => [t.upstream.name, t.model, t.weight])).toEqual([
      ['a', 'small', undefined],
      ['b', 'm', 2],
    ]);
    expect(s.kept.size).toBe(0);
  });

  it('keeps the object of an unchanged upstream and makes a new one for a changed one', () => {
    const before = state([upstream('a'), upstream('b')], []);
    const after = state(
      [upstream('a'), upstream('b', { base_url: 'http://b2.local/v1' })],
      [],
      before.known,
    );
    expect(after.upstreams.get('a')).toBe(before.upstreams.get('a'));
    expect(after.upstreams.get('b')).not.toBe(before.upstreams.get('b'));
    expect(after.upstreams.get('b')!.baseUrl.host).toBe('b2.local');
    expect([...after.kept]).toEqual(['a']);
  });

  it('marks an upstream whose credential is missing on this replica unavailable, and keeps it in its routes', () => {
    const s = state(
      [upstream('a', { credential: { env: 'NOT_HERE' } })],
      [{ model: 'm', targets: [{ upstream: 'a' }] }],
    );
    expect(s.upstreams.get('a')!.unavailable).toBe('credential variable is not set');
    expect(s.upstreams.get('a')!.credential).toBeUndefined();
    expect(s.routes.get('m')).toHaveLength(1);
  });

  it('leaves out targets of upstreams that are gone, and routes left with none', () => {
    const s = state(
      [upstream('a')],
      [
        { model: 'm', targets: [{ upstream: 'ghost' }, { upstream: 'a' }] },
        { model: 'n', targets: [{ upstream: 'ghost' }] },
      ],
    );
    expect(s.routes.get('m')!.map((t) => t.upstream.name)).toEqual(['a']);
    expect(s.routes.has('n')).toBe(false);
  });

  it('lets a new router take over the circuit state of the unchanged upstreams only', () => {
    const routes: RouteSpec[] = [{ model: 'm', targets: [{ upstream: 'a' }, { upstream: 'b' }] }];
    const before = state([upstream('a'), upstream('b')], routes);
    const file = {
      pii: { default: { external: 'allow', internal: 'allow' }, byTenant: new Map() },
      models: new Map(),
      rateLimits: { default: {}, byTenant: new Map() },
    } as const;
    const old = new Router({ ...file, ...before } as never, { breakerFailures: 1 });
    for (const t of old.plan('m')!) old.failed(t);
    expect(old.isOpen('a') && old.isOpen('b')).toBe(true);

    const after = state(
      [upstream('a'), upstream('b', { format: 'openai', provider: 'x' })],
      routes,
      before.known,
    );
    const next = new Router({ ...file, ...after } as never, { breakerFailures: 1 });
    next.adoptCircuits(old, after.kept);
    expect(next.isOpen('a')).toBe(true);
    expect(next.isOpen('b')).toBe(false);
  });
});
