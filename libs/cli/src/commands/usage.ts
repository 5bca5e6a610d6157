import { Redis } from 'ioredis';
import {
  DIMENSIONS,
  PERIODS,
  UsageKeys,
  UsageReader,
  type Dimension,
  type Period,
  type UsageReport,
  type UsageRow,
} from '@llmops/pricing';
import { parse, required, UsageError } from '../args';
import type { CliContext } from '../context';

export const usageHelp = `llmops usage --tenant T [--group-by tenant|app|user|agent|model] [--period minute|hour|day|month]
             [--at <ISO time or epoch ms>] [--json]
                   token and cost counters of one UTC window (the one holding --at, default now),
                   the numbers of GET /v1/usage; --json prints that API's body`;

/** A Redis connection that fails at once, saying how to reach one, instead of retrying forever. */
export async function connectRedis(ctx: CliContext): Promise<Redis> {
  const redis = new Redis(ctx.endpoints.redisUrl, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 3_000,
    retryStrategy: () => null,
  });
  // connect() only says "Connection is closed"; the cause (ECONNREFUSED…) comes as an event.
  let cause: unknown;
  redis.on('error', (err) => (cause ??= err));
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    throw explainRedisError(ctx, cause ?? err);
  }
  return redis;
}

/** Turns a Redis connection failure into what to do about it. */
export function explainRedisError(ctx: CliContext, err: unknown): Error {
  const msg = (err as Error).message ?? String(err);
  const where = ctx.endpoints.redisUrl.replace(/\/\/[^/?#\s]*@/, '//<credentials>@');
  return new Error(
    `Redis at ${where} is not reachable (${msg}). ` +
      (ctx.config.REDIS_URL
        ? 'Check REDIS_URL.'
        : 'Start the local stack with `npx llmops stack up`, or set REDIS_URL.'),
    { cause: err },
  );
}

/** `--at` as the usage API reads `at`: epoch milliseconds or an ISO 8601 time. */
export function parseAt(command: string, value: string | boolean | undefined): number {
  if (value === undefined) return Date.now();
  const text = String(value);
  const at = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(at)) {
    throw new UsageError(
      `${command}: --at must be an ISO 8601 time (2026-11-27T10:00:00Z) or epoch milliseconds (got '${text}')`,
    );
  }
  return at;
}

function oneOf<T extends string>(
  command: string,
  flag: string,
  allowed: readonly T[],
  value: string | boolean | undefined,
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new UsageError(
      `${command}: --${flag} must be one of ${allowed.join(', ')} (got '${String(value)}')`,
    );
  }
  return value as T;
}

export async function usageCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const { values, positionals } = parse('usage', argv, {
    tenant: { type: 'string' },
    'group-by': { type: 'string' },
    period: { type: 'string' },
    at: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  if (positionals.length > 0) {
    throw new UsageError(`usage: unexpected argument '${positionals[0]}'\n${usageHelp}`);
  }
  const tenant = required('usage', 'tenant', values.tenant);
  const groupBy = oneOf<Dimension>('usage', 'group-by', DIMENSIONS, values['group-by'], 'tenant');
  const period = oneOf<Period>('usage', 'period', PERIODS, values.period, 'day');
  const at = parseAt('usage', values.at);
  const redis = await connectRedis(ctx);
  try {
    let report: UsageReport;
    try {
      report = await new UsageReader(redis, new UsageKeys(ctx.config.REDIS_KEY_PREFIX)).usage(
        tenant,
        groupBy,
        period,
        at,
      );
    } catch (err) {
      throw explainRedisError(ctx, err);
    }
    if (values.json) ctx.out(JSON.stringify(report));
    else for (const line of usageTable(report)) ctx.out(line);
    return 0;
  } finally {
    redis.disconnect();
  }
}

const COLUMNS: Array<[string, (r: UsageRow) => string]> = [
  ['requests', (r) => String(r.requests)],
  ['input', (r) => String(r.input_tokens)],
  ['cached', (r) => String(r.cached_input_tokens)],
  ['output', (r) => String(r.output_tokens)],
  ['reasoning', (r) => String(r.reasoning_tokens)],
  ['tokens', (r) => String(r.total_tokens)],
  ['errors', (r) => String(r.errors)],
  ['unpriced', (r) => String(r.unpriced_requests)],
  ['cost_usd', (r) => r.cost_usd],
];

/** The report as an aligned table: a heading, one row per group, the total. */
export function usageTable(report: UsageReport): string[] {
  const w = report.window;
  const heading =
    `usage of tenant ${report.tenant} by ${report.group_by}, ${w.period} ${w.label} ` +
    `(UTC ${new Date(w.start_ms).toISOString()} to ${new Date(w.end_ms).toISOString()})`;
  const rows = [
    [report.group_by, ...COLUMNS.map(([name]) => name)],
    ...(report.group_by === 'tenant' ? [] : report.groups).map((g) => [
      g.key,
      ...COLUMNS.map(([, f]) => f(g)),
    ]),
    ['total', ...COLUMNS.map(([, f]) => f(report.total))],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) =>
    r
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
  const notes: string[] = [];
  if (report.total.requests === 0) notes.push('no usage counted in this window');
  if (report.total.unpriced_requests > 0) {
    notes.push(
      `${report.total.unpriced_requests} request(s) of models without a price are counted in tokens at $0; add their prices with PRICING_FILE`,
    );
  }
  return [heading, ...lines, ...notes];
}
