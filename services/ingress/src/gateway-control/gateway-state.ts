import type { Logger } from '@llmops/observability';
import {
  resolveUpstream,
  type CredentialRead,
  type CredentialSpec,
  type RouteSpec,
  type RouteTarget,
  type Upstream,
  type UpstreamSpec,
} from '../gateway/gateway-config';

/** An upstream as this replica resolved it, and the canonical JSON of the spec it came from. */
export interface KnownUpstream {
  json: string;
  upstream: Upstream;
}

export interface ResolvedState {
  upstreams: Map<string, Upstream>;
  routes: Map<string, RouteTarget[]>;
  /** By name: what to compare the next state with. */
  known: Map<string, KnownUpstream>;
  /** Names of the upstreams whose spec did not change: same object, so same pool and circuit. */
  kept: Set<string>;
}

/**
 * The upstreams and routes the gateway serves, from the control plane's entries. An upstream
 * whose spec is unchanged keeps its object (its connection pool and circuit state go on); a
 * new or changed one is resolved again, its credential read here, on this replica. One whose
 * credential cannot be read here stays in its routes but is marked unavailable: calls fail
 * over to the route's other targets, and the log says what is missing. A route target whose
 * upstream is gone (two admins racing) is left out; a route with none left is not served.
 */
export function resolveState(
  entries: { upstreams: Array<{ spec: UpstreamSpec; json: string }>; routes: RouteSpec[] },
  previous: ReadonlyMap<string, KnownUpstream>,
  readCredential: (c: CredentialSpec) => CredentialRead,
  log: Logger,
): ResolvedState {
  const upstreams = new Map<string, Upstream>();
  const known = new Map<string, KnownUpstream>();
  const kept = new Set<string>();
  for (const { spec, json } of entries.upstreams) {
    const before = previous.get(spec.name);
    if (before?.json === json) {
      kept.add(spec.name);
      known.set(spec.name, before);
      upstreams.set(spec.name, before.upstream);
      continue;
    }
    const read = spec.credential ? readCredential(spec.credential) : undefined;
    const upstream = resolveUpstream(spec, read && 'value' in read ? read.value : undefined);
    if (read && 'problem' in read) {
      upstream.unavailable = read.problem;
      log.error(
        { upstream: spec.name, problem: read.problem },
        'upstream cannot be called from this replica: its credential is missing here',
      );
    }
    known.set(spec.name, { json, upstream });
    upstreams.set(spec.name, upstream);
  }
  const routes = new Map<string, RouteTarget[]>();
  for (const r of entries.routes) {
    const targets: RouteTarget[] = [];
    for (const t of r.targets) {
      const upstream = upstreams.get(t.upstream);
      if (upstream) targets.push({ upstream, model: t.model ?? r.model, weight: t.weight });
      else
        log.warn(
          { route: r.model, upstream: t.upstream },
          'route target names an upstream that is not there; left out',
        );
    }
    if (targets.length > 0) routes.set(r.model, targets);
  }
  return { upstreams, routes, known, kept };
}
