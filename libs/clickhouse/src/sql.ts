/**
 * Client-side value binding for ClickHouse SQL.
 *
 * ClickHouse 18.16 (Debian 12's package) has no server-side query parameters
 * (`{name:Type}`), so every value that reaches a statement is rendered here as
 * a literal. The rules follow the server's lexer (`src/Parsers/Lexer.cpp`,
 * `readQuotedString`): inside single quotes a backslash starts an escape, so
 * backslashes and quotes are escaped, and control characters are written as
 * escapes so a statement never carries a raw NUL or line break in a literal.
 */

/** A value that cannot be bound safely: a programming error, never retriable. */
export class SqlBindingError extends TypeError {
  readonly retriable = false;
  constructor(message: string) {
    super(message);
    this.name = 'SqlBindingError';
  }
}

/** A piece of SQL that the `sql` tag inserts verbatim: identifiers, nested `sql` fragments. */
export class SqlFragment {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '\0': '\\0',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\x07': '\\a',
};

// Backslash, quote, and every C0 control character plus DEL.
const NEEDS_ESCAPE = /[\\'\x00-\x1f\x7f]/g;

function escapeChar(ch: string): string {
  return ESCAPES[ch] ?? `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/**
 * A ClickHouse string literal: `'…'` with backslash, quote and control
 * characters escaped. Any JavaScript string is accepted (unicode is sent as
 * UTF-8; a lone surrogate becomes U+FFFD on the wire, like any UTF-8 encoder).
 */
export function sqlString(value: string): string {
  if (typeof value !== 'string') {
    throw new SqlBindingError(`sqlString expects a string, got ${describe(value)}`);
  }
  return `'${value.replace(NEEDS_ESCAPE, escapeChar)}'`;
}

/**
 * A database, table or column name, checked against `^[A-Za-z_][A-Za-z0-9_]*$`
 * and back-quoted (so names that are also keywords still work).
 */
export function sqlIdentifier(name: string): string {
  if (typeof name !== 'string' || !IDENTIFIER.test(name)) {
    throw new SqlBindingError(
      `invalid ClickHouse identifier ${describe(name)}: expected letters, digits and underscores, ` +
        'not starting with a digit (^[A-Za-z_][A-Za-z0-9_]*$)',
    );
  }
  return `\`${name}\``;
}

/**
 * A numeric literal. Negative values are parenthesised so that `a-${n}` can
 * never turn into a `--` comment. `NaN` and infinities are refused.
 */
export function sqlNumber(value: number | bigint): string {
  if (typeof value === 'bigint') return value < 0n ? `(${value})` : String(value);
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new SqlBindingError(`sqlNumber expects a finite number, got ${describe(value)}`);
  }
  if (Object.is(value, -0)) return '0';
  return value < 0 ? `(${String(value)})` : String(value);
}

/** An integer literal; `unsigned` also refuses negatives. */
export function sqlInteger(value: number | bigint, { unsigned = false } = {}): string {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new SqlBindingError(`expected a safe integer, got ${describe(value)}`);
  }
  if (typeof value !== 'number' && typeof value !== 'bigint') {
    throw new SqlBindingError(`expected an integer, got ${describe(value)}`);
  }
  if (unsigned && value < 0) {
    throw new SqlBindingError(`expected an unsigned integer, got ${String(value)}`);
  }
  return sqlNumber(value);
}

const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME_TEXT = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

/**
 * A `Date` literal, `toDate('YYYY-MM-DD')`, from a `YYYY-MM-DD` string or a
 * JavaScript `Date` (its UTC day).
 */
export function sqlDate(value: Date | string): string {
  return `toDate(${sqlString(formatDate(value))})`;
}

/**
 * A `DateTime` literal in UTC, `toDateTime('YYYY-MM-DD hh:mm:ss', 'UTC')`, from a
 * `Date`, epoch milliseconds or a `YYYY-MM-DD hh:mm:ss` string read as UTC.
 * Sub-second precision is dropped (DateTime has whole seconds).
 */
export function sqlDateTime(value: Date | number | string): string {
  return `toDateTime(${sqlString(formatDateTime(value))}, 'UTC')`;
}

/** `YYYY-MM-DD` of a `Date` (UTC) or a validated `YYYY-MM-DD` string. */
export function formatDate(value: Date | string): string {
  if (value instanceof Date) return isoOf(value, 'date').slice(0, 10);
  const m = typeof value === 'string' ? DATE_TEXT.exec(value) : null;
  if (!m || !isRealDate(m)) {
    throw new SqlBindingError(`expected a date as YYYY-MM-DD or a Date, got ${describe(value)}`);
  }
  return value;
}

/** `YYYY-MM-DD hh:mm:ss` in UTC, the text form DateTime columns parse on every version. */
export function formatDateTime(value: Date | number | string): string {
  if (typeof value === 'string') {
    const m = DATE_TIME_TEXT.exec(value);
    if (!m || !isRealDate(m) || Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59) {
      throw new SqlBindingError(
        `expected a date-time as 'YYYY-MM-DD hh:mm:ss' (UTC), got ${describe(value)}`,
      );
    }
    return value.replace('T', ' ');
  }
  const date = typeof value === 'number' ? new Date(value) : value;
  return isoOf(date, 'date-time').slice(0, 19).replace('T', ' ');
}

function isoOf(date: unknown, what: string): string {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new SqlBindingError(`expected a valid ${what}, got ${describe(date)}`);
  }
  const iso = date.toISOString();
  if (!/^\d{4}-/.test(iso)) {
    throw new SqlBindingError(`${what} out of range: ${iso}`);
  }
  return iso;
}

function isRealDate(m: RegExpExecArray): boolean {
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Values the `sql` tag knows how to bind. */
export type SqlValue =
  string | number | bigint | boolean | null | Date | SqlFragment | readonly SqlValue[];

/**
 * Renders one value by its JavaScript type: string → string literal, number /
 * bigint → numeric literal, boolean → 1 / 0 (18.16 has no Bool), null → NULL,
 * Date → UTC DateTime, array → array literal, SqlFragment → verbatim.
 */
export function sqlValue(value: SqlValue): string {
  if (value instanceof SqlFragment) return value.text;
  if (value === null) return 'NULL';
  switch (typeof value) {
    case 'string':
      return sqlString(value);
    case 'number':
    case 'bigint':
      return sqlNumber(value);
    case 'boolean':
      return value ? '1' : '0';
  }
  if (value instanceof Date) return sqlDateTime(value);
  if (Array.isArray(value)) return `[${(value as readonly SqlValue[]).map(sqlValue).join(', ')}]`;
  throw new SqlBindingError(`cannot bind ${describe(value)} into SQL`);
}

/**
 * Tagged template that escapes every interpolated value by its type (see
 * {@link sqlValue}); use `sql.id(name)` for identifiers and nest `sql` for
 * fragments.
 *
 * @example
 * const q = sql`SELECT count() FROM ${sql.id(db)}.invocations WHERE tenant_id = ${tenant}`;
 * await client.query({ query: q.text, format: 'JSONEachRow' });
 */
export function sql(strings: TemplateStringsArray, ...values: SqlValue[]): SqlFragment {
  let text = strings[0] ?? '';
  values.forEach((value, i) => {
    if (value === undefined) {
      throw new SqlBindingError(`sql: value #${i + 1} is undefined (use null for NULL)`);
    }
    text += sqlValue(value) + (strings[i + 1] ?? '');
  });
  return new SqlFragment(text);
}

/** An identifier for the `sql` tag, validated like {@link sqlIdentifier}. */
sql.id = (name: string): SqlFragment => new SqlFragment(sqlIdentifier(name));
/** A `database.table` name for the `sql` tag, both parts validated. */
sql.table = (database: string, table: string): SqlFragment =>
  new SqlFragment(`${sqlIdentifier(database)}.${sqlIdentifier(table)}`);
/** A Date literal for the `sql` tag (see {@link sqlDate}). */
sql.date = (value: Date | string): SqlFragment => new SqlFragment(sqlDate(value));

function describe(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  }
  if (value instanceof Date) return `Date(${value.getTime()})`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    return String(value);
  }
  return typeof value;
}
