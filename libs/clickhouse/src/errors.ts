/**
 * Typed ClickHouse failures that say whether trying again can help.
 *
 * `@clickhouse/client` only turns a server error into its `ClickHouseError`
 * (with `code` and `type`) when the text ends in `(TYPE_NAME)`, which servers
 * print since 21.x. ClickHouse 18.16 answers
 * `Code: 62, e.displayText() = DB::Exception: …, e.what() = DB::Exception`,
 * which the client passes on as a plain `Error`; so the code is read from the
 * text here, which covers both formats (`Code: 62,` and `Code: 62.`).
 */

/** What went wrong, coarsely: decides retries and where the message goes. */
export type ClickHouseErrorKind =
  /** Connection refused / reset, DNS, socket closed: the server was not reached or went away. */
  | 'network'
  /** The request or the query ran out of time. */
  | 'timeout'
  /** The server refused work for now: too many queries, parts, memory. */
  | 'overloaded'
  /** A proxy or the server failed in a way that is usually temporary (HTTP 5xx, replica state). */
  | 'unavailable'
  /** The statement is wrong: syntax, unknown function or setting. Fix the code. */
  | 'query'
  /** The data does not fit the table: parse or type errors. Fix or drop the data. */
  | 'data'
  /** Database, table or column missing (or already there): fix the deployment / migrations. */
  | 'schema'
  /** Authentication or authorisation failed: fix the configuration. */
  | 'auth'
  /** Anything else. */
  | 'unknown';

/** A failed ClickHouse operation. `retriable` says whether the same call may succeed later. */
export abstract class ClickHouseOperationError extends Error {
  abstract readonly retriable: boolean;
  /** ClickHouse's exception code when the server gave one (e.g. 62 for SYNTAX_ERROR). */
  readonly code: number | undefined;
  /** ClickHouse's exception name when known (e.g. `SYNTAX_ERROR`). */
  readonly codeName: string | undefined;
  readonly kind: ClickHouseErrorKind;

  constructor(
    message: string,
    details: { kind: ClickHouseErrorKind; code?: number; codeName?: string; cause?: unknown },
  ) {
    super(message, { cause: details.cause });
    this.kind = details.kind;
    this.code = details.code;
    this.codeName = details.codeName;
  }

  /**
   * Whom to blame (the consumers' verdict, see `faultOf` in @llmops/kafka):
   * the server's state passes (`transient`), a missing table or a refused
   * password needs an operator (`deployment`), only `data` errors are the
   * rows' own (`record`). `unknown` carries no verdict.
   */
  get fault(): 'transient' | 'deployment' | 'record' | undefined {
    if (RETRIABLE_KINDS.has(this.kind)) return 'transient';
    if (this.kind === 'data') return 'record';
    if (this.kind === 'schema' || this.kind === 'auth' || this.kind === 'query')
      return 'deployment';
    return undefined;
  }

  /** What an operator should fix, for deployment faults. */
  get hint(): string | undefined {
    switch (this.kind) {
      case 'schema':
        return 'a ClickHouse database, table or column is missing: run `llmops migrate` (the analytics-sink migrates at start) and check CLICKHOUSE_DATABASE';
      case 'auth':
        return "ClickHouse refused the credentials or the grant: check CLICKHOUSE_USER and CLICKHOUSE_PASSWORD and the user's grants";
      case 'query':
        return 'ClickHouse refused the statement: the server version may lack a feature the SQL uses, see the message';
      default:
        return undefined;
    }
  }
}

/** Transient: network, timeouts, overload, unavailable replicas. Retry with back-off. */
export class ClickHouseRetriableError extends ClickHouseOperationError {
  readonly retriable = true;
  constructor(...args: ConstructorParameters<typeof ClickHouseOperationError>) {
    super(...args);
    this.name = 'ClickHouseRetriableError';
  }
}

/**
 * Permanent for this input: retrying the same call fails the same way. `kind`
 * tells poison data (`data`) from faults of the code or deployment (`query`,
 * `schema`, `auth`) that no message can be blamed for.
 */
export class ClickHouseNonRetriableError extends ClickHouseOperationError {
  readonly retriable = false;
  constructor(...args: ConstructorParameters<typeof ClickHouseOperationError>) {
    super(...args);
    this.name = 'ClickHouseNonRetriableError';
  }
}

interface CodeInfo {
  name: string;
  kind: ClickHouseErrorKind;
}

// Codes from ClickHouse's src/Common/ErrorCodes.cpp; stable across versions.
// Codes not listed are classified `unknown` and not retried.
const CODES: Record<number, CodeInfo> = {
  6: { name: 'CANNOT_PARSE_TEXT', kind: 'data' },
  15: { name: 'DUPLICATE_COLUMN', kind: 'schema' },
  16: { name: 'NO_SUCH_COLUMN_IN_TABLE', kind: 'schema' },
  26: { name: 'CANNOT_PARSE_QUOTED_STRING', kind: 'data' },
  27: { name: 'CANNOT_PARSE_INPUT_ASSERTION_FAILED', kind: 'data' },
  36: { name: 'BAD_ARGUMENTS', kind: 'query' },
  38: { name: 'CANNOT_PARSE_DATE', kind: 'data' },
  41: { name: 'CANNOT_PARSE_DATETIME', kind: 'data' },
  42: { name: 'NUMBER_OF_ARGUMENTS_DOESNT_MATCH', kind: 'query' },
  43: { name: 'ILLEGAL_TYPE_OF_ARGUMENT', kind: 'query' },
  44: { name: 'ILLEGAL_COLUMN', kind: 'query' },
  46: { name: 'UNKNOWN_FUNCTION', kind: 'query' },
  47: { name: 'UNKNOWN_IDENTIFIER', kind: 'query' },
  48: { name: 'NOT_IMPLEMENTED', kind: 'query' },
  53: { name: 'TYPE_MISMATCH', kind: 'data' },
  57: { name: 'TABLE_ALREADY_EXISTS', kind: 'schema' },
  60: { name: 'UNKNOWN_TABLE', kind: 'schema' },
  62: { name: 'SYNTAX_ERROR', kind: 'query' },
  69: { name: 'ARGUMENT_OUT_OF_BOUND', kind: 'data' },
  70: { name: 'CANNOT_CONVERT_TYPE', kind: 'data' },
  72: { name: 'CANNOT_PARSE_NUMBER', kind: 'data' },
  81: { name: 'UNKNOWN_DATABASE', kind: 'schema' },
  82: { name: 'DATABASE_ALREADY_EXISTS', kind: 'schema' },
  115: { name: 'UNKNOWN_SETTING', kind: 'query' },
  117: { name: 'INCORRECT_DATA', kind: 'data' },
  131: { name: 'TOO_LARGE_STRING_SIZE', kind: 'data' },
  159: { name: 'TIMEOUT_EXCEEDED', kind: 'timeout' },
  164: { name: 'READONLY', kind: 'auth' },
  173: { name: 'CANNOT_ALLOCATE_MEMORY', kind: 'overloaded' },
  184: { name: 'ILLEGAL_AGGREGATION', kind: 'query' },
  190: { name: 'SIZES_OF_ARRAYS_DOESNT_MATCH', kind: 'data' },
  192: { name: 'UNKNOWN_USER', kind: 'auth' },
  193: { name: 'WRONG_PASSWORD', kind: 'auth' },
  194: { name: 'REQUIRED_PASSWORD', kind: 'auth' },
  195: { name: 'IP_ADDRESS_NOT_ALLOWED', kind: 'auth' },
  202: { name: 'TOO_MANY_SIMULTANEOUS_QUERIES', kind: 'overloaded' },
  203: { name: 'NO_FREE_CONNECTION', kind: 'overloaded' },
  209: { name: 'SOCKET_TIMEOUT', kind: 'timeout' },
  210: { name: 'NETWORK_ERROR', kind: 'network' },
  215: { name: 'NOT_AN_AGGREGATE', kind: 'query' },
  225: { name: 'NO_ZOOKEEPER', kind: 'unavailable' },
  236: { name: 'ABORTED', kind: 'unavailable' },
  241: { name: 'MEMORY_LIMIT_EXCEEDED', kind: 'overloaded' },
  242: { name: 'TABLE_IS_READ_ONLY', kind: 'unavailable' },
  252: { name: 'TOO_MANY_PARTS', kind: 'overloaded' },
  285: { name: 'TOO_FEW_LIVE_REPLICAS', kind: 'unavailable' },
  286: { name: 'UNSATISFIED_QUORUM_FOR_PREVIOUS_WRITE', kind: 'unavailable' },
  319: { name: 'UNKNOWN_STATUS_OF_INSERT', kind: 'unavailable' },
  394: { name: 'QUERY_WAS_CANCELLED', kind: 'unavailable' },
  425: { name: 'SYSTEM_ERROR', kind: 'unavailable' },
  439: { name: 'CANNOT_SCHEDULE_TASK', kind: 'overloaded' },
  473: { name: 'DEADLOCK_AVOIDED', kind: 'unavailable' },
  497: { name: 'ACCESS_DENIED', kind: 'auth' },
  516: { name: 'AUTHENTICATION_FAILED', kind: 'auth' },
  999: { name: 'KEEPER_EXCEPTION', kind: 'unavailable' },
};

const RETRIABLE_KINDS: ReadonlySet<ClickHouseErrorKind> = new Set([
  'network',
  'timeout',
  'overloaded',
  'unavailable',
]);

const NETWORK_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ERR_STREAM_PREMATURE_CLOSE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);
const TIMEOUT_ERRNOS = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT']);

// `Code: 62, e.displayText()` (18.x–20.x) and `Code: 62. DB::Exception` (21.x+).
const CODE_IN_TEXT = /\bCode: (\d+)[.,]/;

/** Longest server text kept in our message: ClickHouse parse errors quote the input after the failure point. */
const MAX_SERVER_TEXT = 400;

/**
 * Wraps any error thrown by `@clickhouse/client` (or the network below it) in
 * a {@link ClickHouseRetriableError} or {@link ClickHouseNonRetriableError},
 * keeping the original as `cause`. Errors that are already classified pass
 * through unchanged.
 *
 * @param context what was being done, e.g. `insert into db.invocations`; starts the message.
 */
export function classifyClickHouseError(err: unknown, context: string): ClickHouseOperationError {
  if (err instanceof ClickHouseOperationError) return err;
  const { kind, code, codeName } = inspect(err);
  const summary = serverText(err);
  const label = code === undefined ? kind : `${codeName ?? 'code'} (${code})`;
  const message = `${context} failed: ${label}: ${summary}`;
  const details = { kind, code, codeName, cause: err };
  return RETRIABLE_KINDS.has(kind)
    ? new ClickHouseRetriableError(message, details)
    : new ClickHouseNonRetriableError(message, details);
}

/** True when `err` is a classified retriable error, or an unclassified one that would be. */
export function isRetriableClickHouseError(err: unknown): boolean {
  return classifyClickHouseError(err, 'operation').retriable;
}

function inspect(err: unknown): { kind: ClickHouseErrorKind; code?: number; codeName?: string } {
  // Walk the cause chain: the client sometimes wraps socket errors.
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    const code = serverCode(e);
    if (code !== undefined) {
      const info = CODES[code];
      const text = messageOf(e);
      // Current releases reject an INSERT touching more than
      // max_partitions_per_insert_block partitions with TOO_MANY_PARTS too;
      // that one is about the batch, not the server's state, so never retry it.
      if (code === 252 && /too many partitions for single insert block/i.test(text)) {
        return { kind: 'data', code, codeName: info?.name };
      }
      return { kind: info?.kind ?? 'unknown', code, codeName: info?.name ?? typeName(e) };
    }
    const errno = errnoOf(e);
    if (errno && NETWORK_ERRNOS.has(errno)) return { kind: 'network' };
    if (errno && TIMEOUT_ERRNOS.has(errno)) return { kind: 'timeout' };
    const text = messageOf(e);
    if (/^Timeout error\.?$/i.test(text) || /\btimed? ?out\b/i.test(text))
      return { kind: 'timeout' };
    if (/socket hang up|connection (?:reset|refused|closed)|other side closed/i.test(text)) {
      return { kind: 'network' };
    }
    // A proxy or load balancer in front of ClickHouse answering with its own page.
    if (/\b(?:502|503|504)\b|bad gateway|service unavailable|gateway time-?out/i.test(text)) {
      return { kind: 'unavailable' };
    }
    e = (e as { cause?: unknown }).cause;
  }
  return { kind: 'unknown' };
}

function serverCode(e: unknown): number | undefined {
  // The client's ClickHouseError carries `code` as a numeric string ("62");
  // Node system errors carry `code` as "ECONNREFUSED", so test the shape.
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && /^\d+$/.test(code)) return Number(code);
  if (typeof code === 'number') return code;
  const m = CODE_IN_TEXT.exec(messageOf(e));
  return m ? Number(m[1]) : undefined;
}

function typeName(e: unknown): string | undefined {
  const type = (e as { type?: unknown }).type;
  return typeof type === 'string' ? type : undefined;
}

function errnoOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && !/^\d+$/.test(code) ? code : undefined;
}

function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  return typeof e === 'string' ? e : '';
}

function serverText(err: unknown): string {
  const raw = messageOf(err) || String(err);
  const text = raw
    .replace(/^Code: \d+[.,]\s*/, '')
    .replace(/^e\.displayText\(\) = /, '')
    .replace(/^DB::Exception: /, '')
    .replace(/,\s*e\.what\(\) = DB::Exception\s*$/, '')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > MAX_SERVER_TEXT ? `${text.slice(0, MAX_SERVER_TEXT)}…` : text;
}
