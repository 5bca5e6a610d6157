import type { GatewayRoutes, RouteTarget, UpstreamFormat } from './gateway-config';

export interface RouterOptions {
  /** Consecutive failed attempts that open an upstream's circuit. @default 5 */
  breakerFailures?: number;
  /** How long an open circuit keeps calls away before one probe is let through. @default 10000 */
  breakerOpenMs?: number;
  random?: () => number;
  now?: () => number;
}

interface Circuit {
  failures: number;
  openUntil: number;
}

/**
 * Which target a call tries, in which order: the route's targets whose circuit is closed (or
 * due a probe), in the route's order, or drawn by weight when the targets have weights. A target that fails
 * `breakerFailures` times in a row is left alone for `breakerOpenMs`, then probed again.
 */
export class Router {
  private readonly circuits = new Map<string, Circuit>();
  private readonly breakerFailures: number;
  private readonly breakerOpenMs: number;
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(
    private readonly routes: GatewayRoutes,
    opts: RouterOptions = {},
  ) {
    this.breakerFailures = opts.breakerFailures ?? 5;
    this.breakerOpenMs = opts.breakerOpenMs ?? 10_000;
    this.random = opts.random ?? Math.random;
    this.now = opts.now ?? Date.now;
  }

  /** The models clients may ask for. */
  models(): string[] {
    return [...this.routes.routes.keys()];
  }

  /**
   * The targets to try for `model`, best first, among those whose upstream speaks `format` or
   * one the API translates to (`translatable`); all when no format is given. Undefined when no
   * route serves it, empty when none speaks it.
   */
  plan(
    model: string,
    format?: UpstreamFormat,
    translatable: readonly UpstreamFormat[] = [],
  ): RouteTarget[] | undefined {
    const all = this.routes.routes.get(model);
    if (!all) return undefined;
    const targets = format
      ? all.filter(
          (t) => speaks(t.upstream.format, format) || translatable.includes(t.upstream.format),
        )
      : all;
    if (targets.length === 0) return [];
    const now = this.now();
    const closed = targets.filter(
      (t) => (this.circuits.get(t.upstream.name)?.openUntil ?? 0) <= now,
    );
    // Every circuit open: try them anyway, in order, rather than fail without an attempt.
    const usable = closed.length > 0 ? closed : [...targets];
    return usable.some((t) => t.weight !== undefined) ? this.weightedOrder(usable) : usable;
  }

  succeeded(t: RouteTarget): void {
    this.circuits.delete(t.upstream.name);
  }

  failed(t: RouteTarget): void {
    const c = this.circuits.get(t.upstream.name) ?? { failures: 0, openUntil: 0 };
    c.failures++;
    if (c.failures >= this.breakerFailures) c.openUntil = this.now() + this.breakerOpenMs;
    this.circuits.set(t.upstream.name, c);
  }

  /** Whether the upstream's circuit is open now (for metrics and the record). */
  isOpen(upstream: string): boolean {
    return (this.circuits.get(upstream)?.openUntil ?? 0) > this.now();
  }

  /** Takes over `from`'s circuit state of the upstreams named (unchanged by a routes change). */
  adoptCircuits(from: Router, upstreams: Iterable<string>): void {
    for (const name of upstreams) {
      const c = from.circuits.get(name);
      if (c) this.circuits.set(name, c);
    }
  }

  private weightedOrder(targets: RouteTarget[]): RouteTarget[] {
    const left = [...targets];
    const out: RouteTarget[] = [];
    while (left.length > 0) {
      const weight = (t: RouteTarget) => t.weight ?? 1;
      const total = left.reduce((a, t) => a + weight(t), 0);
      let draw = this.random() * total;
      let i = 0;
      while (i < left.length - 1 && draw >= weight(left[i]!)) draw -= weight(left[i++]!);
      out.push(...left.splice(i, 1));
    }
    return out;
  }
}

/** Whether an upstream of `upstream` format serves an API of `api` format. */
function speaks(upstream: UpstreamFormat, api: UpstreamFormat): boolean {
  return upstream === api || (api === 'openai' && upstream === 'azure-openai');
}
