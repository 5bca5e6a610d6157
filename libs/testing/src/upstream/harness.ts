// The part both local upstreams share: a node:http server on 127.0.0.1 that
// records every request, answers each one with the next queued behaviour
// (FIFO) or the normal answer, and knows when a client went away early.
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';

/** One request as the upstream received it. */
export interface ReceivedRequest {
  method: string;
  /** Path with query string, e.g. `/v1/chat/completions`. */
  path: string;
  /** Header names lower-cased; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** The body parsed as JSON; `undefined` when empty or not JSON. */
  body: unknown;
  raw: string;
  /**
   * The API key the upstream authenticated the request with (the bearer token,
   * or Anthropic's `x-api-key`); undefined when it refused the request.
   */
  credential: string | undefined;
  /** True when the client closed the connection before the response ended. */
  aborted: boolean;
  /** SSE events written so far, each flushed as its own write. */
  chunksWritten: number;
  /** Settles when the response is over: ended, aborted by the client or cut by the upstream. */
  closed: Promise<void>;
}

/** Behaviours both upstreams understand; `next()` queues one per request. */
export type CommonBehaviour =
  /** Answers `status` with `body`, by default the upstream's own error body for that status. */
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
  /** Waits `delayMs` before anything (even authentication), then answers normally. */
  | { kind: 'slow-first-byte'; delayMs: number }
  /** Never answers, until the client goes away or the upstream closes. */
  | { kind: 'hang' }
  /** A stream: sends `chunks` SSE events, then destroys the socket. Otherwise: destroys it at once. */
  | { kind: 'disconnect-after'; chunks: number }
  /**
   * A stream: sends `chunks` SSE events, then holds the rest until `resume()`.
   * Lets a test see events reach the client before the stream ends, without timing.
   */
  | { kind: 'pause-after'; chunks: number }
  /** Answers with these tool calls (parallel when several) instead of text. */
  | { kind: 'tool-calls'; calls: ToolCallSpec[] };

export interface ToolCallSpec {
  name: string;
  /** The call's arguments as JSON text, exactly as the model would emit them. */
  arguments: string;
}

/** One server-sent event: `event: <event>` (when given) and `data: <data>`. */
export interface SseEvent {
  event?: string;
  data: string;
}

/** What a route handler gets: the request record, the response and its behaviour. */
export interface Exchange<B> {
  request: ReceivedRequest;
  /** The behaviour for this request, after `slow-first-byte` has been waited out. */
  behaviour: B | undefined;
  json(status: number, body: unknown, headers?: Record<string, string>): void;
  /**
   * Sends the events, each as its own write on its own turn of the event loop,
   * then ends the response; honours `disconnect-after` and `pause-after`.
   */
  stream(events: SseEvent[]): void;
}

type Handler<B> = (exchange: Exchange<B>) => void;

/**
 * Whitespace-separated words of a text: the token count both upstreams use.
 * `"echo: hello world"` is 3.
 */
export function countWords(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? 0 : trimmed.split(/\s+/).length;
}

/** Splits a text into deltas, one per word, the spacing kept so they join back to the text. */
export function wordDeltas(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}

/** Splits JSON argument text into pieces of at most `size` characters. */
export function argumentPieces(args: string, size = 8): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < args.length; i += size) pieces.push(args.slice(i, i + size));
  return pieces;
}

export abstract class UpstreamHarness<B extends { kind: string }> {
  /** Every request received, in arrival order. */
  readonly requests: ReceivedRequest[] = [];
  private readonly queue: B[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly arrivals: Array<() => void> = [];
  private readonly openResponses = new WeakMap<ReceivedRequest, ServerResponse>();
  /** Requests whose socket the upstream cut on purpose: not client aborts. */
  private readonly cuts = new WeakSet<ReceivedRequest>();
  /** Streams held by `pause-after`, each with the step that continues it. */
  private readonly paused = new Map<ReceivedRequest, () => void>();
  private readonly released = new WeakSet<ReceivedRequest>();
  private closing = false;
  private readonly server: Server;
  private port = 0;

  protected constructor() {
    this.server = createServer((req, res) => this.receive(req, res));
    this.server.on('connection', (socket) => {
      socket.setNoDelay(true);
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  protected async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** `http://127.0.0.1:<port>` */
  protected get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Queues behaviours for the next requests, one per request, first in first out. */
  next(...behaviours: B[]): this {
    this.queue.push(...behaviours);
    return this;
  }

  /** Resolves once `count` requests have arrived (body read), with the `count`-th. */
  async waitForRequest(count = this.requests.length + 1): Promise<ReceivedRequest> {
    while (this.requests.length < count) {
      await new Promise<void>((resolve) => this.arrivals.push(resolve));
    }
    return this.requests[count - 1]!;
  }

  /** Stops listening and destroys open sockets, hanging ones included. */
  async close(): Promise<void> {
    this.closing = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  protected abstract handler(path: string, method: string): Handler<B> | undefined;
  /** The upstream's 404 for an unknown route. */
  protected abstract notFound(exchange: Exchange<B>): void;
  /** Answers a refusal before routing (authentication) and returns true, or returns false. */
  protected abstract refuse(exchange: Exchange<B>): boolean;
  /** The body of a `status` behaviour given without one, in the upstream's error shape. */
  protected abstract errorBody(status: number): unknown;
  /** Headers every answer carries (request ids). */
  protected abstract commonHeaders(): Record<string, string>;

  private receive(req: IncomingMessage, res: ServerResponse): void {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const raw = Buffer.concat(parts).toString('utf8');
      let resolveClosed!: () => void;
      const request: ReceivedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: headerRecord(req),
        body: parseJson(raw),
        raw,
        credential: undefined,
        aborted: false,
        chunksWritten: 0,
        closed: new Promise<void>((resolve) => (resolveClosed = resolve)),
      };
      res.on('close', () => {
        if (!res.writableFinished && !this.cuts.has(request) && !this.closing) {
          request.aborted = true;
        }
        resolveClosed();
      });
      this.requests.push(request);
      for (const arrived of this.arrivals.splice(0)) arrived();
      const behaviour = this.queue.shift();
      const exchange = this.exchange(request, res, behaviour);
      this.dispatch(exchange, req.method ?? 'GET');
    });
  }

  private dispatch(exchange: Exchange<B>, method: string): void {
    const behaviour = exchange.behaviour as CommonBehaviour | undefined;
    if (behaviour?.kind === 'hang') return;
    if (behaviour?.kind === 'slow-first-byte') {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.dispatch({ ...exchange, behaviour: undefined }, method);
      }, behaviour.delayMs);
      this.timers.add(timer);
      return;
    }
    if (this.refuse(exchange)) return;
    if (behaviour?.kind === 'status') {
      exchange.json(behaviour.status, behaviour.body ?? this.errorBody(behaviour.status), {
        ...behaviour.headers,
      });
      return;
    }
    const streaming = (exchange.request.body as { stream?: unknown } | undefined)?.stream === true;
    if (behaviour?.kind === 'disconnect-after' && !streaming) return this.cut(exchange.request);
    const path = exchange.request.path.split('?')[0] ?? '/';
    const handler = this.handler(path, method);
    if (!handler) return this.notFound(exchange);
    handler(exchange);
  }

  private cut(request: ReceivedRequest): void {
    this.cuts.add(request);
    const res = this.openResponses.get(request);
    res?.socket?.destroy();
    res?.destroy();
  }

  private exchange(
    request: ReceivedRequest,
    res: ServerResponse,
    behaviour: B | undefined,
  ): Exchange<B> {
    this.openResponses.set(request, res);
    const common = this.commonHeaders();
    const plan = behaviour as CommonBehaviour | undefined;
    const cutAfter = plan?.kind === 'disconnect-after' ? plan.chunks : undefined;
    const pauseAfter = plan?.kind === 'pause-after' ? plan.chunks : undefined;
    return {
      request,
      behaviour,
      json: (status, body, headers) => {
        if (res.destroyed) return;
        const text = JSON.stringify(body);
        res.writeHead(status, {
          ...common,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
          ...headers,
        });
        res.end(text);
      },
      stream: (events) => {
        if (res.destroyed) return;
        res.writeHead(200, {
          ...common,
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache',
          connection: 'keep-alive',
        });
        res.flushHeaders();
        let index = 0;
        const step = (): void => {
          if (res.destroyed || this.closing) return;
          if (index === cutAfter) return this.cut(request);
          if (index === pauseAfter && !this.released.has(request)) {
            this.paused.set(request, step);
            return;
          }
          const event = events[index++];
          if (event === undefined) {
            res.end();
            return;
          }
          res.write(`${event.event ? `event: ${event.event}\n` : ''}data: ${event.data}\n\n`);
          request.chunksWritten++;
          setImmediate(step);
        };
        step();
      },
    };
  }

  /**
   * Lets every stream received so far under `pause-after` go on to its end,
   * also one that has not reached its pause yet.
   */
  resume(): void {
    for (const request of this.requests) this.released.add(request);
    const held = [...this.paused.values()];
    this.paused.clear();
    for (const step of held) step();
  }
}

function headerRecord(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function parseJson(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}
