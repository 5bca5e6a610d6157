import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';

export interface MetricsServerOptions {
  registry: Registry;
  host: string;
  /** Unset: the server does not start. 0: any free port. */
  port: number | undefined;
  logger: Logger;
}

/**
 * `/metrics` (Prometheus text) and `/healthz` (the process answers) for a
 * service without an HTTP API of its own (consumers take no traffic, so they
 * have no readiness to report). Its `onModuleInit` and
 * `onApplicationShutdown` let it be a Nest provider as it is.
 */
export class MetricsServer {
  private server: Server | undefined;

  constructor(private readonly opts: MetricsServerOptions) {}

  /** Where it listens, once started; undefined when it does not run. */
  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  async start(): Promise<void> {
    if (this.opts.port === undefined || this.server) return;
    const server = createServer((req, res) => {
      const send = (status: number, type: string, body: string) => {
        res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
        res.end(body);
      };
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('allow', 'GET, HEAD');
        return send(405, 'text/plain', 'only GET and HEAD\n');
      }
      if (path === '/healthz') return send(200, 'application/json', '{"status":"ok"}\n');
      if (path !== '/metrics') return send(404, 'text/plain', 'try /metrics or /healthz\n');
      this.opts.registry.metrics().then(
        (text) => send(200, this.opts.registry.contentType, text),
        (err: unknown) => {
          this.opts.logger.error({ err: String(err) }, 'metrics could not be collected');
          send(500, 'text/plain', 'metrics could not be collected\n');
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(
          new Error(
            err.code === 'EADDRINUSE'
              ? `METRICS_PORT ${this.opts.port} on ${this.opts.host} is in use; choose another port or unset METRICS_PORT`
              : `the metrics endpoint could not listen on ${this.opts.host}:${this.opts.port}: ${err.message}`,
          ),
        ),
      );
      server.listen(this.opts.port, this.opts.host, resolve);
    });
    this.server = server;
    this.opts.logger.info({ host: this.opts.host, port: this.port }, 'metrics endpoint listening');
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  onModuleInit(): Promise<void> {
    return this.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }
}

/** The metrics endpoint a service's configuration asks for (METRICS_HOST, METRICS_PORT). */
export function metricsServerFor(
  registry: Registry,
  config: { METRICS_HOST: string; METRICS_PORT?: number | undefined },
  logger: Logger,
): MetricsServer {
  return new MetricsServer({
    registry,
    host: config.METRICS_HOST,
    port: config.METRICS_PORT,
    logger,
  });
}
