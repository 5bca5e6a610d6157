import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from './args';
import type { CliContext } from './context';

/** An error answer of the ingress API: `{ error: { status, code, message, details? } }`. */
interface ApiErrorBody {
  error?: { code?: string; message?: string; details?: Array<{ path: string; message: string }> };
}

export interface AdminApi {
  url: string;
  /** Sends one request; resolves with a 2xx answer's status and JSON body (undefined for 204). */
  request(
    method: string,
    apiPath: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }>;
}

/**
 * The ingress's admin API as the CLI calls it: at LLMOPS_URL (default the local ingress on
 * INGRESS_PORT), with LLMOPS_API_KEY or else the dev key `npm start` keeps in
 * `.cache/dev-api-key`. An error answer becomes an error carrying the API's own message, each
 * field it names shown as the flag that sets it (`flags`); 400s are usage errors (exit 2).
 */
export function adminApi(
  ctx: Pick<CliContext, 'config' | 'repoRoot'>,
  command: string,
  flags: (apiPath: string) => string = (p) => p,
): AdminApi {
  const url = (ctx.config.LLMOPS_URL ?? `http://127.0.0.1:${ctx.config.INGRESS_PORT}`).replace(
    /\/+$/,
    '',
  );
  return {
    url,
    async request(method, apiPath, body) {
      const key = apiKey(ctx);
      let res: Response;
      try {
        res = await fetch(`${url}${apiPath}`, {
          method,
          headers: {
            authorization: `Bearer ${key}`,
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
      } catch (err) {
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        throw new Error(
          `${command}: the ingress at ${url} is not reachable (${cause?.code ?? cause?.message ?? (err as Error).message}); ` +
            (ctx.config.LLMOPS_URL
              ? 'check LLMOPS_URL'
              : 'start it with `npm start`, or set LLMOPS_URL'),
          { cause: err },
        );
      }
      const text = await res.text();
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      if (res.ok) return { status: res.status, json };
      const e = (json as ApiErrorBody | undefined)?.error;
      const lines = [
        `${command}: ${e?.message ?? `the ingress answered ${res.status}`}`,
        ...(e?.details ?? []).map((d) => `  ${flags(d.path)}: ${d.message}`),
      ];
      throw res.status === 400 ? new UsageError(lines.join('\n')) : new Error(lines.join('\n'));
    },
  };
}

function apiKey(ctx: Pick<CliContext, 'config' | 'repoRoot'>): string {
  if (ctx.config.LLMOPS_API_KEY) return ctx.config.LLMOPS_API_KEY;
  const devKey = path.join(ctx.repoRoot, '.cache', 'dev-api-key');
  if (fs.existsSync(devKey)) return fs.readFileSync(devKey, 'utf8').trim();
  throw new UsageError(
    'set LLMOPS_API_KEY to an API key with the admin scope (`llmops keys create --tenant T --scopes admin`)',
  );
}

/** Rows as columns padded to their widest cell, two spaces apart. */
export function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
}

/** Who changed an entry last, for a table: `key <id> (<tenant>)` or `file <path>`. */
export function changedBy(by: {
  source: string;
  key_id: string | null;
  tenant_id: string | null;
  file: string | null;
}): string {
  return by.source === 'config_file'
    ? `file ${by.file ?? ''}`.trimEnd()
    : `key ${by.key_id ?? '?'} (${by.tenant_id ?? '?'})`;
}
