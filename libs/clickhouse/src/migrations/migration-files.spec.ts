import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { MigrationError } from './migration-errors';
import { loadMigrations, parseMigration } from './migration-files';

const DEPLOY_MIGRATIONS = path.resolve(__dirname, '../../../../deploy/clickhouse/migrations');

describe('parseMigration', () => {
  const text = `-- two tables
CREATE TABLE IF NOT EXISTS {{database}}.a (x String DEFAULT ';') ENGINE = Log;
CREATE TABLE IF NOT EXISTS {{database}}.b (x String) ENGINE = Log;
`;

  it('splits statements and checksums them', () => {
    const m = parseMigration('0002_two.sql', 2, 'two', text);
    expect(m.statements).toHaveLength(2);
    expect(m.statements[0]).toContain("DEFAULT ';'");
    expect(m.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps the checksum when only comments or blank lines change', () => {
    const a = parseMigration('0002_two.sql', 2, 'two', text);
    const b = parseMigration('0002_two.sql', 2, 'two', `-- reworded\n\n${text}\n-- tail\n`);
    expect(b.checksum).toBe(a.checksum);
  });

  it('changes the checksum when the SQL changes', () => {
    const a = parseMigration('0002_two.sql', 2, 'two', text);
    const b = parseMigration(
      '0002_two.sql',
      2,
      'two',
      text.replace('ENGINE = Log;', 'ENGINE = TinyLog;'),
    );
    expect(b.checksum).not.toBe(a.checksum);
  });

  it('requires {{database}} in every statement and no other placeholder', () => {
    expect(() =>
      parseMigration('0003_x.sql', 3, 'x', 'CREATE TABLE t (x UInt8) ENGINE = Log'),
    ).toThrow(/0003_x\.sql, statement 1 names no \{\{database\}\}/);
    expect(() =>
      parseMigration(
        '0003_x.sql',
        3,
        'x',
        'CREATE TABLE {{database}}.t AS SELECT {{tenant:String}}',
      ),
    ).toThrow(/unknown placeholder \{\{tenant:String\}\}/);
  });

  it('refuses an empty file', () => {
    expect(() => parseMigration('0004_x.sql', 4, 'x', '-- nothing\n')).toThrow(
      /holds no statement/,
    );
  });
});

describe('loadMigrations', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'migrations-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('orders by version and ignores non-SQL files', async () => {
    await writeFile(path.join(dir, '0010_later.sql'), 'CREATE DATABASE IF NOT EXISTS {{database}}');
    await writeFile(path.join(dir, '0002_first.sql'), 'CREATE DATABASE IF NOT EXISTS {{database}}');
    await writeFile(path.join(dir, 'README.md'), '# notes');
    const migrations = await loadMigrations(dir);
    expect(migrations.map((m) => [m.version, m.name])).toEqual([
      [2, 'first'],
      [10, 'later'],
    ]);
  });

  it('refuses badly named SQL files', async () => {
    await writeFile(path.join(dir, '1_bad.sql'), 'SELECT 1');
    await expect(loadMigrations(dir)).rejects.toThrow(/named NNNN_name\.sql/);
  });

  it('refuses two files with one version', async () => {
    await writeFile(path.join(dir, '0001_a.sql'), 'CREATE DATABASE IF NOT EXISTS {{database}}');
    await writeFile(path.join(dir, '0001_b.sql'), 'CREATE DATABASE IF NOT EXISTS {{database}}');
    await expect(loadMigrations(dir)).rejects.toThrow(
      /0001_a\.sql and 0001_b\.sql have the same version 1/,
    );
  });

  it('says which folder it could not read', async () => {
    await expect(loadMigrations(path.join(dir, 'missing'))).rejects.toThrow(MigrationError);
  });

  it('loads the project migrations', async () => {
    const migrations = await loadMigrations(DEPLOY_MIGRATIONS);
    expect(migrations[0]).toMatchObject({ version: 1, name: 'invocations' });
    for (const m of migrations) {
      for (const s of m.statements) {
        // 18.16 compatibility guard: none of what that server lacks.
        expect(s).not.toMatch(
          /\bTTL\b|DateTime64|\bMap\(|\bCODEC\(|LowCardinality|JSON_?Extract|IF NOT EXISTS\s+\w+\s+\w+\s+COLUMN/i,
        );
      }
    }
  });
});
