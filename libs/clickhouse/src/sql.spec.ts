import {
  formatDateTime,
  sql,
  SqlBindingError,
  sqlDate,
  sqlDateTime,
  sqlIdentifier,
  sqlInteger,
  sqlNumber,
  sqlString,
  sqlValue,
  type SqlValue,
} from './sql';

describe('sqlString', () => {
  it('quotes plain text', () => {
    expect(sqlString('hello')).toBe("'hello'");
    expect(sqlString('')).toBe("''");
  });

  it('escapes single quotes with a backslash', () => {
    expect(sqlString("it's")).toBe("'it\\'s'");
    expect(sqlString("''")).toBe("'\\'\\''");
  });

  it('escapes backslashes before quotes so an escaped quote cannot be un-escaped', () => {
    expect(sqlString('\\')).toBe("'\\\\'");
    expect(sqlString("\\'")).toBe("'\\\\\\''");
    expect(sqlString('a\\nb')).toBe("'a\\\\nb'");
  });

  it('writes NUL, line breaks, tabs and other control characters as escapes', () => {
    expect(sqlString('a\0b')).toBe("'a\\0b'");
    expect(sqlString('l1\nl2\r\n')).toBe("'l1\\nl2\\r\\n'");
    expect(sqlString('\t\b\f\v\x07')).toBe("'\\t\\b\\f\\v\\a'");
    expect(sqlString('\x1b[31m\x7f')).toBe("'\\x1b[31m\\x7f'");
  });

  it('leaves the result free of raw control characters', () => {
    const all = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('') + '\x7f';
    expect(sqlString(all)).not.toMatch(/[\x00-\x1f\x7f]/);
  });

  it('passes unicode through unchanged', () => {
    for (const s of ['Zürich', '日本語', '😀👩‍💻', 'עברית', 'e\u0301', '\u2028\u2029', '\ufeff']) {
      expect(sqlString(s)).toBe(`'${s}'`);
    }
  });

  it.each([
    "'; DROP TABLE invocations; --",
    "\\'; DROP TABLE invocations; --",
    "' OR '1'='1",
    "x' UNION ALL SELECT * FROM system.users --",
    '*/ DROP TABLE t /*',
    '`; DROP TABLE t; `',
  ])('keeps the injection attempt %j inside one literal', (attack) => {
    const literal = sqlString(attack);
    expect(literal.startsWith("'") && literal.endsWith("'")).toBe(true);
    // Every quote inside is escaped: an odd run of backslashes precedes it.
    const inner = literal.slice(1, -1);
    for (const m of inner.matchAll(/(\\*)'/g)) expect(m[1]!.length % 2).toBe(1);
    expect(unquote(literal)).toBe(attack);
  });

  it('refuses non-strings', () => {
    expect(() => sqlString(42 as unknown as string)).toThrow(SqlBindingError);
  });
});

describe('sqlIdentifier', () => {
  it('back-quotes valid names', () => {
    expect(sqlIdentifier('invocations')).toBe('`invocations`');
    expect(sqlIdentifier('_t1')).toBe('`_t1`');
    expect(sqlIdentifier('select')).toBe('`select`');
  });

  it.each(['', '1abc', 'a-b', 'a.b', 'a b', 'a`b', "a'b", 'täble', 'a;DROP', 'x\n'])(
    'refuses %j with a message naming the rule',
    (name) => {
      expect(() => sqlIdentifier(name)).toThrow(SqlBindingError);
      expect(() => sqlIdentifier(name)).toThrow(/\^\[A-Za-z_\]\[A-Za-z0-9_\]\*\$/);
    },
  );
});

describe('sqlNumber and sqlInteger', () => {
  it('writes finite numbers', () => {
    expect(sqlNumber(0)).toBe('0');
    expect(sqlNumber(-0)).toBe('0');
    expect(sqlNumber(42)).toBe('42');
    expect(sqlNumber(1.5)).toBe('1.5');
    expect(sqlNumber(1e21)).toBe('1e+21');
    expect(sqlNumber(12345678901234567890n)).toBe('12345678901234567890');
  });

  it('parenthesises negatives so "a-${n}" never becomes a comment', () => {
    expect(sqlNumber(-5)).toBe('(-5)');
    expect(sqlNumber(-5n)).toBe('(-5)');
    expect(sql`SELECT 1-${-5}`.text).toBe('SELECT 1-(-5)');
  });

  it.each([NaN, Infinity, -Infinity])('refuses %p', (n) => {
    expect(() => sqlNumber(n)).toThrow(SqlBindingError);
  });

  it('refuses numbers given as strings', () => {
    expect(() => sqlNumber('1; DROP TABLE t' as unknown as number)).toThrow(SqlBindingError);
  });

  it('checks integers and signs', () => {
    expect(sqlInteger(7)).toBe('7');
    expect(sqlInteger(-7)).toBe('(-7)');
    expect(() => sqlInteger(1.5)).toThrow(/safe integer/);
    expect(() => sqlInteger(2 ** 53)).toThrow(/safe integer/);
    expect(() => sqlInteger(-1, { unsigned: true })).toThrow(/unsigned/);
    expect(sqlInteger(2n ** 64n - 1n, { unsigned: true })).toBe('18446744073709551615');
  });
});

describe('dates', () => {
  it('renders Date literals from strings and Dates (UTC day)', () => {
    expect(sqlDate('2025-03-01')).toBe("toDate('2025-03-01')");
    expect(sqlDate(new Date('2025-03-01T23:59:59Z'))).toBe("toDate('2025-03-01')");
  });

  it('refuses impossible or malformed dates', () => {
    for (const bad of ['2025-02-30', '2025-13-01', '25-01-01', "2025-01-01'; --", '']) {
      expect(() => sqlDate(bad)).toThrow(SqlBindingError);
    }
    expect(() => sqlDate(new Date('nope'))).toThrow(SqlBindingError);
  });

  it('renders UTC DateTime literals, dropping milliseconds', () => {
    expect(sqlDateTime(Date.UTC(2025, 0, 2, 3, 4, 5, 678))).toBe(
      "toDateTime('2025-01-02 03:04:05', 'UTC')",
    );
    expect(sqlDateTime(new Date('2025-01-02T03:04:05.999Z'))).toBe(
      "toDateTime('2025-01-02 03:04:05', 'UTC')",
    );
    expect(sqlDateTime('2025-01-02T03:04:05')).toBe("toDateTime('2025-01-02 03:04:05', 'UTC')");
    expect(formatDateTime(0)).toBe('1970-01-01 00:00:00');
  });

  it('refuses bad date-times', () => {
    for (const bad of ['2025-01-02 24:00:00', '2025-01-02', '2025-01-02 03:04:05.123']) {
      expect(() => sqlDateTime(bad)).toThrow(SqlBindingError);
    }
    expect(() => sqlDateTime(NaN)).toThrow(SqlBindingError);
    expect(() => sqlDateTime(-1e15)).toThrow(SqlBindingError);
  });
});

describe('sql tag', () => {
  it('escapes each value by its type', () => {
    const q = sql`SELECT ${"a'b"}, ${1}, ${-2}, ${true}, ${false}, ${null}, ${['x', "y'"]}, ${[1, 2]}, ${[]}`;
    expect(q.text).toBe("SELECT 'a\\'b', 1, (-2), 1, 0, NULL, ['x', 'y\\''], [1, 2], []");
  });

  it('binds Dates as UTC DateTime', () => {
    expect(sql`WHERE t >= ${new Date(Date.UTC(2025, 5, 1))}`.text).toBe(
      "WHERE t >= toDateTime('2025-06-01 00:00:00', 'UTC')",
    );
  });

  it('inserts identifiers and nested fragments verbatim', () => {
    const where = sql`tenant_id = ${'acme'}`;
    const q = sql`SELECT * FROM ${sql.table('db1', 'invocations')} WHERE ${where} AND ${sql.id('x')} = ${sql.date('2025-01-01')}`;
    expect(q.text).toBe(
      "SELECT * FROM `db1`.`invocations` WHERE tenant_id = 'acme' AND `x` = toDate('2025-01-01')",
    );
    expect(String(q)).toBe(q.text);
  });

  it('binds a string that looks like SQL as a string, not as SQL', () => {
    expect(sql`SELECT ${'1); DROP TABLE t; --'}`.text).toBe("SELECT '1); DROP TABLE t; --'");
  });

  it('refuses undefined, objects and functions', () => {
    expect(() => sql`SELECT ${undefined as unknown as SqlValue}`).toThrow(/undefined/);
    expect(() => sql`SELECT ${{ a: 1 } as unknown as SqlValue}`).toThrow(SqlBindingError);
    expect(() => sqlValue((() => 1) as unknown as SqlValue)).toThrow(SqlBindingError);
    expect(() => sqlValue(Symbol('x') as unknown as SqlValue)).toThrow(SqlBindingError);
  });

  it('validates identifiers given to sql.id and sql.table', () => {
    expect(() => sql.id('a`b')).toThrow(SqlBindingError);
    expect(() => sql.table('db', 'x; DROP')).toThrow(SqlBindingError);
  });
});

/** Reads a literal back the way ClickHouse's lexer does (the subset sqlString writes). */
function unquote(literal: string): string {
  const map: Record<string, string> = {
    n: '\n',
    r: '\r',
    t: '\t',
    b: '\b',
    f: '\f',
    v: '\v',
    a: '\x07',
    '0': '\0',
  };
  let out = '';
  for (let i = 1; i < literal.length - 1; i++) {
    const ch = literal[i]!;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = literal[++i]!;
    if (next === 'x') {
      out += String.fromCharCode(parseInt(literal.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      out += map[next] ?? next;
    }
  }
  return out;
}

describe('unquote (test helper) round-trips sqlString', () => {
  it('for every control character, quotes and backslashes', () => {
    const s = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)).join('') + "\\'\\\\''";
    expect(unquote(sqlString(s))).toBe(s);
  });
});
