import {
  ClickHouseLogLevel,
  createClient,
  type ClickHouseClient,
  type ClickHouseClientConfigOptions,
  type ClickHouseSettings,
} from '@clickhouse/client';

export type { ClickHouseClient, ClickHouseSettings } from '@clickhouse/client';

/** Options of {@link createClickHouseClient}. */
export interface ClickHouseClientOptions {
  /** HTTP(S) endpoint, e.g. `http://127.0.0.1:8123`. */
  url: string;
  /**
   * Default database of every request. Leave unset when the database may not
   * exist yet (the migration runner creates it and names it explicitly).
   * @default 'default'
   */
  database?: string;
  /** @default 'default' */
  username?: string;
  /** @default '' */
  password?: string;
  /** Per-request timeout. @default 30000 */
  requestTimeoutMs?: number;
  /** Sockets per host. @default 10 */
  maxOpenConnections?: number;
  /** Sent as the HTTP User-Agent prefix; shows up in `system.query_log` of current releases. */
  application?: string;
  /** Settings sent with every request. Keep to settings ClickHouse 18.16 knows. */
  clickhouseSettings?: ClickHouseSettings;
  /**
   * The client's own logger. Off by default: every failure is thrown (and
   * classified) to the caller, who logs it once; the client would otherwise
   * log it again, with server text that can quote inserted data.
   * @default { level: ClickHouseLogLevel.OFF }
   */
  log?: ClickHouseClientConfigOptions['log'];
}

/** A client option that is missing or malformed: fix the configuration. */
export class ClickHouseConfigError extends Error {
  readonly retriable = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ClickHouseConfigError';
  }
}

/**
 * Creates an `@clickhouse/client` client for HTTP(S) ClickHouse, checking the
 * options first. The SQL of this project targets ClickHouse 18.16 and current
 * releases alike, so no version-specific settings are sent.
 */
export function createClickHouseClient(options: ClickHouseClientOptions): ClickHouseClient {
  const url = parseUrl(options.url);
  const timeout = options.requestTimeoutMs ?? 30_000;
  if (!Number.isInteger(timeout) || timeout <= 0) {
    throw new ClickHouseConfigError(
      `requestTimeoutMs must be a positive integer of milliseconds (got ${String(options.requestTimeoutMs)})`,
    );
  }
  const connections = options.maxOpenConnections ?? 10;
  if (!Number.isInteger(connections) || connections <= 0) {
    throw new ClickHouseConfigError(
      `maxOpenConnections must be a positive integer (got ${String(options.maxOpenConnections)})`,
    );
  }
  if (options.database !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(options.database)) {
    throw new ClickHouseConfigError(
      `database must match ^[A-Za-z_][A-Za-z0-9_]*$ (got ${JSON.stringify(options.database)})`,
    );
  }
  return createClient({
    url,
    database: options.database,
    username: options.username,
    password: options.password,
    request_timeout: timeout,
    max_open_connections: connections,
    application: options.application,
    clickhouse_settings: options.clickhouseSettings,
    log: options.log ?? { level: ClickHouseLogLevel.OFF },
  });
}

function parseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (cause) {
    throw new ClickHouseConfigError(
      `url must be an absolute http(s) URL such as http://127.0.0.1:8123 (got ${shown(raw)})`,
      { cause },
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ClickHouseConfigError(
      `url must use http or https, the ClickHouse HTTP interface (got ${url.protocol} in ${shown(raw)})`,
    );
  }
  return url;
}

/** The URL for an error message, without credentials. */
function shown(raw: unknown): string {
  return typeof raw === 'string'
    ? JSON.stringify(raw.replace(/\/\/[^/@]*@/, '//***@'))
    : String(raw);
}
