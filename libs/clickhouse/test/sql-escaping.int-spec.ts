import { sql, sqlDate, sqlNumber, sqlString, type ClickHouseClient } from '../src';
import { rows, testDatabase } from './helpers';

const controls = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('') + '\x7f';

const NASTY: Array<[string, string]> = [
  ['empty', ''],
  ['a single quote', "'"],
  ['doubled quotes', "''"],
  ['a backslash', '\\'],
  ['backslash then quote', "\\'"],
  ['quote then backslash', "'\\"],
  ['a trailing backslash', 'abc\\'],
  ['escape-like text', '\\n\\t\\0\\x41\\u0041'],
  ['NUL inside', 'a\0b'],
  ['only NUL', '\0'],
  ['line breaks', 'line1\nline2\r\nline3\r'],
  ['every control character', controls],
  ['emoji and ZWJ sequences', '😀 👩‍💻 🏳️‍🌈'],
  ['right-to-left and CJK', 'שלום 日本語 한국어'],
  ['combining marks and BOM', 'e\u0301 \ufeff x'],
  ['line and paragraph separators', 'a\u2028b\u2029c'],
  ['Latin-1 and astral', '\u00ff\u0100 \u{1F600}\u{10FFFF}'],
  ['a classic injection', "'; DROP TABLE victims; --"],
  ['an escaped-quote injection', "\\'; DROP TABLE victims; --"],
  ['a tautology', "' OR '1'='1"],
  ['a comment breakout', '*/ DROP TABLE victims; /*'],
  ['backquote breakout', '`; DROP TABLE victims; `'],
  ['placeholder look-alikes', '{tenant:String} {{database}} ? $1 %s :name'],
  ['a long string (under max_query_size twice)', "x'\\\0".repeat(10_000)],
];

describe('SQL escaping against a real ClickHouse', () => {
  let client: ClickHouseClient;
  let database: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ client, database, cleanup } = testDatabase());
    await client.command({ query: sql`CREATE DATABASE ${sql.id(database)}`.text });
    await client.command({
      query:
        sql`CREATE TABLE ${sql.table(database, 'strings')} (id UInt32, s String) ENGINE = MergeTree ORDER BY id`
          .text,
    });
    await client.command({
      query: sql`CREATE TABLE ${sql.table(database, 'victims')} (x UInt8) ENGINE = Log`.text,
    });
  });

  afterAll(async () => {
    await cleanup();
  });

  it.each(NASTY)('reads %s back unchanged from a SELECT literal', async (_what, value) => {
    const [row] = await rows<{ v: string; n: number }>(
      client,
      sql`SELECT ${value} AS v, length(${value}) AS n`.text,
    );
    expect(row!.v).toBe(value);
    expect(row!.n).toBe(Buffer.byteLength(value, 'utf8'));
  });

  it('round-trips every string through INSERT … VALUES and finds each by an equality literal', async () => {
    const values = NASTY.map(([, v], i) => sql`(${i}, ${v})`.text).join(', ');
    await client.command({
      query: `INSERT INTO ${sql.table(database, 'strings').text} VALUES ${values}`,
    });

    const stored = await rows<{ id: number; s: string }>(
      client,
      sql`SELECT id, s FROM ${sql.table(database, 'strings')} ORDER BY id`.text,
    );
    expect(stored).toEqual(NASTY.map(([, s], id) => ({ id, s })));

    for (const [i, [, value]] of NASTY.entries()) {
      const found = await rows<{ id: number }>(
        client,
        sql`SELECT id FROM ${sql.table(database, 'strings')} WHERE s = ${value}`.text,
      );
      expect(found).toEqual([{ id: i }]);
    }
  });

  it('leaves the database intact after the injection attempts', async () => {
    const names = await rows<{ name: string }>(
      client,
      sql`SELECT name FROM system.tables WHERE database = ${database} ORDER BY name`.text,
    );
    expect(names.map((n) => n.name)).toEqual(['strings', 'victims']);
  });

  it('binds numbers, including negatives right after a minus, and 64-bit integers', async () => {
    const [row] = await rows<Record<string, unknown>>(
      client,
      sql`SELECT 1-${-5} AS a, ${1.5} AS b, toString(${2n ** 64n - 1n}) AS c, toString(${-(2n ** 63n)}) AS d, ${0.1} + ${0.2} AS e`
        .text,
    );
    expect(row).toEqual({
      a: 6,
      b: 1.5,
      c: '18446744073709551615',
      d: '-9223372036854775808',
      e: 0.1 + 0.2,
    });
    expect(sqlNumber(-5)).toBe('(-5)');
  });

  it('binds Dates and DateTimes in UTC whatever the server time zone', async () => {
    const at = new Date(Date.UTC(2025, 0, 2, 3, 4, 5));
    const [row] = await rows<{ ts: number; day: string; s: string }>(
      client,
      `SELECT toUnixTimestamp(${sql`${at}`.text}) AS ts, toString(${sqlDate('2025-01-02')}) AS day, ${sqlString('ok')} AS s`,
    );
    expect(row).toEqual({ ts: at.getTime() / 1000, day: '2025-01-02', s: 'ok' });
  });

  it('binds arrays of strings and booleans', async () => {
    const [row] = await rows<Record<string, unknown>>(
      client,
      sql`SELECT ${["a'", 'b\\', '\0']} AS arr, has(${['x', "y'"]}, ${"y'"}) AS h, ${true} AS t, ${false} AS f, ${null} AS n`
        .text,
    );
    expect(row).toEqual({ arr: ["a'", 'b\\', '\0'], h: 1, t: 1, f: 0, n: null });
  });

  it('works with identifiers that are keywords', async () => {
    await client.command({
      query:
        sql`CREATE TABLE ${sql.table(database, 'select')} (${sql.id('from')} String) ENGINE = Log`
          .text,
    });
    await client.command({
      query: sql`INSERT INTO ${sql.table(database, 'select')} (${sql.id('from')}) VALUES (${'x'})`
        .text,
    });
    expect(
      await rows(client, sql`SELECT ${sql.id('from')} FROM ${sql.table(database, 'select')}`.text),
    ).toEqual([{ from: 'x' }]);
    await client.command({ query: sql`DROP TABLE ${sql.table(database, 'select')}`.text });
  });
});
