import type { ClickHouseClient, ClickHouseSettings } from '@clickhouse/client';
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { classifyClickHouseError } from './errors';
import {
  SqlBindingError,
  sqlDate,
  sqlDateTime,
  sqlIdentifier,
  sqlInteger,
  sqlNumber,
  sqlString,
} from './sql';
import {
  findPlaceholders,
  headerComment,
  renderPlaceholders,
  splitStatements,
  SqlScriptError,
} from './sql-script';

/**
 * Placeholder types of saved queries, named like ClickHouse types so that a
 * move to server-side parameters (`{tenant:String}`) on current releases is a
 * search and replace.
 */
export type SavedQueryParamType =
  | 'String'
  | 'Date'
  | 'DateTime'
  | 'UInt8'
  | 'UInt16'
  | 'UInt32'
  | 'UInt64'
  | 'Int8'
  | 'Int16'
  | 'Int32'
  | 'Int64'
  | 'Float64'
  | 'Array(String)';

export type SavedQueryParamValue = string | number | bigint | Date | readonly string[];

/** A `deploy/clickhouse/queries/<name>.sql` file, parsed. */
export interface SavedQuery {
  name: string;
  /** The file's leading `--` comment. */
  description: string;
  /** The `{{name:Type}}` placeholders, each once, in order of first use. */
  params: Array<{ name: string; type: SavedQueryParamType }>;
  /** The single statement, `{{…}}` placeholders not yet rendered. */
  template: string;
}

export interface SavedQueryOptions {
  /** Folder of the `.sql` files (in this repo: `deploy/clickhouse/queries`). */
  queriesDir: string;
  /** What `{{database}}` renders to. */
  database: string;
  /**
   * Extra settings for this query. `output_format_json_quote_64bit_integers`
   * is 0 unless given, so counts and sums arrive as JSON numbers (exact up to 2^53).
   */
  clickhouseSettings?: ClickHouseSettings;
}

const PARAM_TYPES: ReadonlySet<string> = new Set<SavedQueryParamType>([
  'String',
  'Date',
  'DateTime',
  'UInt8',
  'UInt16',
  'UInt32',
  'UInt64',
  'Int8',
  'Int16',
  'Int32',
  'Int64',
  'Float64',
  'Array(String)',
]);

const QUERY_NAME = /^[a-z0-9_]+$/;

/** The tenant filter every saved query must have: analytics never crosses tenants. */
export const TENANT_PARAM = 'tenant';

/**
 * Parses a saved query: exactly one statement, `{{database}}` and typed
 * `{{name:Type}}` placeholders only, and a `{{tenant:String}}` filter.
 */
export function parseSavedQuery(name: string, text: string): SavedQuery {
  const source = `${name}.sql`;
  const statements = splitStatements(text, source);
  if (statements.length !== 1) {
    throw new SqlScriptError(
      `${source} must hold exactly one statement (found ${statements.length})`,
    );
  }
  const template = statements[0]!;
  const params = new Map<string, SavedQueryParamType>();
  for (const p of findPlaceholders(template, source)) {
    if (p.name === 'database' && p.type === undefined) continue;
    const type = p.type?.replace(/\s+/g, '');
    if (!type || !PARAM_TYPES.has(type)) {
      throw new SqlScriptError(
        `${source}: placeholder {{${p.name}${p.type ? `:${p.type}` : ''}}} needs a type, one of ` +
          `${[...PARAM_TYPES].join(', ')} (only {{database}} goes without)`,
      );
    }
    const previous = params.get(p.name);
    if (previous && previous !== type) {
      throw new SqlScriptError(`${source}: {{${p.name}}} is used as ${previous} and as ${type}`);
    }
    params.set(p.name, type as SavedQueryParamType);
  }
  if (params.get(TENANT_PARAM) !== 'String') {
    throw new SqlScriptError(
      `${source} has no {{${TENANT_PARAM}:String}} filter: every saved query is tenant-filtered`,
    );
  }
  return {
    name,
    description: headerComment(text),
    params: [...params].map(([n, type]) => ({ name: n, type })),
    template,
  };
}

/** Reads and parses `<queriesDir>/<name>.sql`. */
export async function loadSavedQuery(queriesDir: string, name: string): Promise<SavedQuery> {
  if (!QUERY_NAME.test(name)) {
    throw new SqlBindingError(
      `saved query names are lower-case letters, digits and underscores (got ${JSON.stringify(name)})`,
    );
  }
  let text: string;
  try {
    text = await readFile(path.join(queriesDir, `${name}.sql`), 'utf8');
  } catch (cause) {
    const known = await listSavedQueries(queriesDir).catch(() => []);
    throw new SqlScriptError(
      `no saved query ${JSON.stringify(name)} in ${queriesDir}` +
        (known.length ? ` (known: ${known.join(', ')})` : ''),
      { cause },
    );
  }
  return parseSavedQuery(name, text);
}

/** Names of the saved queries of a folder, sorted. */
export async function listSavedQueries(queriesDir: string): Promise<string[]> {
  const files = await readdir(queriesDir);
  return files
    .filter((f) => f.endsWith('.sql') && QUERY_NAME.test(f.slice(0, -4)))
    .map((f) => f.slice(0, -4))
    .sort();
}

/**
 * The statement with every placeholder bound: `{{database}}` as an
 * identifier, each `{{name:Type}}` escaped for its type. Every declared
 * parameter must be given, and no other.
 */
export function renderSavedQuery(
  query: SavedQuery,
  params: Readonly<Record<string, SavedQueryParamValue>>,
  database: string,
): string {
  const declared = new Set(query.params.map((p) => p.name));
  const missing = [...declared].filter((n) => params[n] === undefined);
  const unknown = Object.keys(params).filter((n) => !declared.has(n));
  if (missing.length || unknown.length) {
    throw new SqlBindingError(
      `saved query ${query.name}: ` +
        [
          missing.length ? `missing parameter(s) ${missing.join(', ')}` : '',
          unknown.length ? `unknown parameter(s) ${unknown.join(', ')}` : '',
        ]
          .filter(Boolean)
          .join('; ') +
        ` (it takes ${query.params.map((p) => `${p.name}: ${p.type}`).join(', ')})`,
    );
  }
  const db = sqlIdentifier(database);
  return renderPlaceholders(
    query.template,
    (p) => {
      if (p.name === 'database' && p.type === undefined) return db;
      const type = p.type!.replace(/\s+/g, '') as SavedQueryParamType;
      try {
        return bindParam(type, params[p.name]!);
      } catch (err) {
        throw new SqlBindingError(
          `saved query ${query.name}, parameter ${p.name} (${type}): ${(err as Error).message}`,
        );
      }
    },
    `${query.name}.sql`,
  );
}

function bindParam(type: SavedQueryParamType, value: SavedQueryParamValue): string {
  switch (type) {
    case 'String':
      if (typeof value !== 'string') throw new SqlBindingError('expected a string');
      return sqlString(value);
    case 'Date':
      if (typeof value !== 'string' && !(value instanceof Date)) {
        throw new SqlBindingError('expected YYYY-MM-DD or a Date');
      }
      return sqlDate(value);
    case 'DateTime':
      if (typeof value !== 'string' && typeof value !== 'number' && !(value instanceof Date)) {
        throw new SqlBindingError("expected 'YYYY-MM-DD hh:mm:ss', epoch milliseconds or a Date");
      }
      return sqlDateTime(value);
    case 'Float64':
      if (typeof value !== 'number') throw new SqlBindingError('expected a number');
      return sqlNumber(value);
    case 'Array(String)':
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
        throw new SqlBindingError('expected an array of strings');
      }
      return `CAST([${(value as readonly string[]).map(sqlString).join(', ')}] AS Array(String))`;
    default:
      if (typeof value !== 'number' && typeof value !== 'bigint') {
        throw new SqlBindingError('expected an integer');
      }
      return `to${type}(${sqlInteger(value, { unsigned: type.startsWith('U') })})`;
  }
}

/**
 * Runs a saved query of `queriesDir` with its parameters bound and returns
 * its rows (`JSONEachRow`). Failures are classified
 * ({@link classifyClickHouseError}); a bad name or parameter throws
 * {@link SqlBindingError} / {@link SqlScriptError} before anything is sent.
 *
 * @example
 * const rows = await runSavedQuery<UsageRow>(client, 'usage_by_day',
 *   { tenant: 'acme', from: '2025-01-01', to: '2025-01-31' },
 *   { queriesDir, database: 'llmops' });
 */
export async function runSavedQuery<T = Record<string, unknown>>(
  client: ClickHouseClient,
  name: string,
  params: Readonly<Record<string, SavedQueryParamValue>>,
  options: SavedQueryOptions,
): Promise<T[]> {
  const query = renderSavedQuery(
    await loadSavedQuery(options.queriesDir, name),
    params,
    options.database,
  );
  try {
    const result = await client.query({
      query,
      format: 'JSONEachRow',
      clickhouse_settings: {
        output_format_json_quote_64bit_integers: 0,
        ...options.clickhouseSettings,
      },
    });
    return await result.json<T>();
  } catch (err) {
    throw classifyClickHouseError(err, `saved query ${name}`);
  }
}
