import type { GatewayRoutes, RouteTarget, Upstream } from './gateway-config';
import { Router } from './router';
import { NO_RATE_LIMITS } from './rate-limiter';

function upstream(name: string): Upstream {
  return {
    name,
    baseUrl: new URL(`http://${name}.local/v1/`),
    format: 'openai',
    endpointKind: 'internal',
    provider: 'openai',
    apiVersion: undefined,
    credential: undefined,
    timeouts: { connectMs: 1, firstByteMs: 1, totalMs: 1 },
  };
}

function routes(targets: Array<[string, number | undefined]>): GatewayRoutes {
  const ups = new Map(targets.map(([n]) => [n, upstream(n)]));
  const list: RouteTarget[] = targets.map(([n, weight]) => ({
    upstream: ups.get(n)!,
    model: 'm',
    weight,
  }));
  return {
    upstreams: ups,
    routes: new Map([['model', list]]),
    pii: { default: { external: 'allow', internal: 'allow' }, byTenant: new Map() },
    models: new Map(),
    rateLimits: { default: NO_RATE_LIMITS, byTenant: new Map() },
    whenKafkaDown: { default: 'refuse', byTenant: new Map() },
    callerKeys: new Set(),
  };
}

const names = (plan: RouteTarget[] | undefined) => plan?.map((t) => t.upstream.name);

describe('Router', () => {
  it('keeps the route order when targets have no weights, and knows no unrouted model', () => {
    const r = new Router(
      routes([
        ['a', undefined],
        ['b', undefined],
        ['c', undefined],
      ]),
    );
    expect(names(r.plan('model'))).toEqual(['a', 'b', 'c']);
    expect(r.plan('other')).toBeUndefined();
  });

  it('draws the first target by weight, the others following in weighted order', () => {
    let next = 0;
    const draws = [0.1, 0.0, 0.8, 0.0];
    const r = new Router(
      routes([
        ['a', 1],
        ['b', 3],
      ]),
      { random: () => draws[next++ % draws.length]! },
    );
    // 0.1 × 4 = 0.4 < 1: a first; then b.
    expect(names(r.plan('model'))).toEqual(['a', 'b']);
    // 0.8 × 4 = 3.2 ≥ 1: b first; then a.
    expect(names(r.plan('model'))).toEqual(['b', 'a']);
  });

  it('splits calls by weight over many draws', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const r = new Router(
      routes([
        ['a', 1],
        ['b', 3],
      ]),
      { random },
    );
    let b = 0;
    for (let i = 0; i < 4_000; i++) if (r.plan('model')![0]!.upstream.name === 'b') b++;
    expect(b / 4_000).toBeGreaterThan(0.7);
    expect(b / 4_000).toBeLessThan(0.8);
  });

  it('opens a circuit after consecutive failures, leaves the upstream out until it is due a probe, and closes it on success', () => {
    let now = 1_000;
    const r = new Router(
      routes([
        ['a', undefined],
        ['b', undefined],
      ]),
      {
        breakerFailures: 3,
        breakerOpenMs: 500,
        now: () => now,
      },
    );
    const a = r.plan('model')![0]!;
    r.failed(a);
    r.failed(a);
    expect(names(r.plan('model'))).toEqual(['a', 'b']);
    r.failed(a);
    expect(r.isOpen('a')).toBe(true);
    expect(names(r.plan('model'))).toEqual(['b']);
    now += 500;
    expect(names(r.plan('model'))).toEqual(['a', 'b']);
    r.succeeded(a);
    r.failed(a);
    expect(r.isOpen('a')).toBe(false);
  });

  it("keeps only the targets of the API's format, and those of the formats it translates to", () => {
    const table = routes([
      ['oai', undefined],
      ['azure', undefined],
      ['claude', undefined],
    ]);
    table.upstreams.get('azure')!.format = 'azure-openai';
    table.upstreams.get('claude')!.format = 'anthropic';
    const r = new Router(table);
    expect(names(r.plan('model', 'openai'))).toEqual(['oai', 'azure']);
    expect(names(r.plan('model', 'openai', ['anthropic']))).toEqual(['oai', 'azure', 'claude']);
    expect(names(r.plan('model', 'anthropic'))).toEqual(['claude']);
  });

  it('tries every target when all circuits are open, rather than none', () => {
    const r = new Router(
      routes([
        ['a', undefined],
        ['b', undefined],
      ]),
      { breakerFailures: 1 },
    );
    for (const t of r.plan('model')!) r.failed(t);
    expect(names(r.plan('model'))).toEqual(['a', 'b']);
  });
});
