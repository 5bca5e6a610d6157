import { Pool, errors as undiciErrors, type Dispatcher } from 'undici';
import type { RouteTarget, Upstream } from './gateway-config';

/** Why an attempt at an upstream failed, and whether another attempt may help. */
export class UpstreamAttemptError extends Error {
  constructor(
    /** `connect`, `timeout`, `http_<status>`, `aborted` (the client went away) or `network`. */
    readonly kind: string,
    message: string,
    readonly retriable: boolean,
    /** The upstream's answer when it answered (a 4xx/5xx), passed on to the client as it is. */
    readonly response?: { status: number; headers: Record<string, string>; body: string },
    /** Milliseconds the upstream asked to wait (Retry-After). */
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UpstreamAttemptError';
  }
}

/** Answers worth trying again elsewhere: rate limited, overloaded, or the upstream's own fault. */
/** 529: Anthropic's overloaded_error. */
const RETRIABLE_STATUS = new Set([408, 409, 429, 500, 502, 503, 504, 529]);

/**
 * One keep-alive connection pool per upstream (undici: the fastest HTTP client Node has,
 * and what its fetch is built on), with the upstream's connect and first-byte timeouts. Pools
 * belong to an upstream object, not its name: a changed upstream gets a new pool while calls
 * already under way finish on the old one (see `retain`).
 */
export class UpstreamClients {
  private readonly pools = new Map<Upstream, Pool>();
  private readonly closing = new Set<Promise<void>>();

  private pool(u: Upstream): Pool {
    let pool = this.pools.get(u);
    if (!pool) {
      pool = new Pool(u.baseUrl.origin, {
        connect: { timeout: u.timeouts.connectMs },
        headersTimeout: u.timeouts.firstByteMs,
        bodyTimeout: u.timeouts.firstByteMs,
        keepAliveTimeout: 30_000,
      });
      this.pools.set(u, pool);
    }
    return pool;
  }

  /**
   * POSTs `body` to `<base_url><path>` of the target's upstream. Resolves with a 2xx answer
   * whose body is still to be read; rejects with an UpstreamAttemptError for anything else.
   * `signal` aborts the request (the client went away, or the total timeout passed).
   * `extraHeaders` are the client's headers the API passes on (e.g. `anthropic-version`);
   * `callerKey` a provider key of the caller's own, sent instead of the upstream's credential.
   */
  async post(
    target: RouteTarget,
    path: string,
    body: string,
    signal: AbortSignal,
    extraHeaders: Record<string, string> = {},
    callerKey?: string,
  ): Promise<Dispatcher.ResponseData> {
    const u = target.upstream;
    if (u.unavailable && callerKey === undefined)
      throw new UpstreamAttemptError(
        'credential',
        `upstream '${u.name}' cannot be called from this gateway replica: its credential is missing here (the ingress log says which)`,
        true,
      );
    const headers: Record<string, string> = {
      ...extraHeaders,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    };
    const credential = callerKey ?? u.credential;
    if (credential) {
      if (u.format === 'anthropic') headers['x-api-key'] = credential;
      else if (u.format === 'azure-openai') headers['api-key'] = credential;
      else headers.authorization = `Bearer ${credential}`;
    }
    // Azure names the deployment (the target's model) in the path, the API version in the query.
    const url =
      u.format === 'azure-openai'
        ? new URL(
            `openai/deployments/${encodeURIComponent(target.model)}/${path}?api-version=${encodeURIComponent(u.apiVersion ?? '')}`,
            u.baseUrl,
          )
        : new URL(path, u.baseUrl);
    let res: Dispatcher.ResponseData;
    try {
      res = await this.pool(u).request({
        method: 'POST',
        path: url.pathname + url.search,
        headers,
        body,
        signal,
      });
    } catch (err) {
      throw attemptError(err, u, signal);
    }
    if (res.statusCode >= 200 && res.statusCode < 300) return res;
    const text = await res.body.text().catch(() => '');
    const retryAfterMs = retryAfter(res.headers['retry-after']);
    throw new UpstreamAttemptError(
      `http_${res.statusCode}`,
      `upstream '${u.name}' answered ${res.statusCode}`,
      RETRIABLE_STATUS.has(res.statusCode),
      { status: res.statusCode, headers: plainHeaders(res.headers), body: text },
      retryAfterMs,
    );
  }

  /**
   * Closes the pools of upstreams not among `current` (removed or changed), each once the
   * calls it carries are done.
   */
  retain(current: Iterable<Upstream>): void {
    const keep = new Set(current);
    for (const [u, pool] of this.pools) {
      if (keep.has(u)) continue;
      this.pools.delete(u);
      const closed: Promise<void> = pool
        .close()
        .catch(() => undefined)
        .finally(() => this.closing.delete(closed));
      this.closing.add(closed);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.close()));
    this.pools.clear();
    await Promise.all([...this.closing]);
  }
}

function attemptError(err: unknown, u: Upstream, signal: AbortSignal): UpstreamAttemptError {
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    const timedOut = reason instanceof DOMException && reason.name === 'TimeoutError';
    return timedOut
      ? new UpstreamAttemptError(
          'timeout',
          `upstream '${u.name}' did not finish within ${u.timeouts.totalMs} ms`,
          true,
          undefined,
          undefined,
          { cause: err },
        )
      : new UpstreamAttemptError(
          'aborted',
          'the client closed the request',
          false,
          undefined,
          undefined,
          {
            cause: err,
          },
        );
  }
  if (err instanceof undiciErrors.ConnectTimeoutError)
    return new UpstreamAttemptError(
      'connect',
      `upstream '${u.name}' did not accept a connection within ${u.timeouts.connectMs} ms`,
      true,
      undefined,
      undefined,
      { cause: err },
    );
  if (
    err instanceof undiciErrors.HeadersTimeoutError ||
    err instanceof undiciErrors.BodyTimeoutError
  )
    return new UpstreamAttemptError(
      'timeout',
      `upstream '${u.name}' sent nothing for ${u.timeouts.firstByteMs} ms`,
      true,
      undefined,
      undefined,
      { cause: err },
    );
  const code = (err as { code?: string }).code;
  const connect = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH';
  return new UpstreamAttemptError(
    connect ? 'connect' : 'network',
    `upstream '${u.name}' could not be reached (${code ?? (err as Error).name})`,
    true,
    undefined,
    undefined,
    { cause: err },
  );
}

/** Retry-After in seconds or as an HTTP date, in milliseconds. */
export function retryAfter(
  value: string | string[] | undefined,
  now = Date.now(),
): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  const s = Number(v);
  if (Number.isFinite(s) && s >= 0) return s * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function plainHeaders(h: Dispatcher.ResponseData['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h))
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
