import { testEndpoints, waitFor } from '@llmops/testing';
import { readdirSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  createClickHouseClient,
  migrate,
  MigrationChecksumError,
  MigrationError,
  MigrationLockTimeoutError,
  readApplied,
  sql,
  type ClickHouseClient,
} from '../src';
import { MIGRATIONS_DIR, rows, testDatabase } from './helpers';

/** The project's migration versions, from the folder: 0001_x.sql → 1. */
const PROJECT_VERSIONS = readdirSync(MIGRATIONS_DIR)
  .filter((f) => /^\d{4}_.*\.sql$/.test(f))
  .map((f) => Number(f.slice(0, 4)))
  .sort((a, b) => a - b);

describe('migrate against a real ClickHouse', () => {
  let client: ClickHouseClient;
  let database: string;
  let cleanup: () => Promise<void>;
  let dir: string;

  beforeEach(async () => {
    ({ client, database, cleanup } = testDatabase());
    dir = await mkdtemp(path.join(tmpdir(), 'ch-migrations-'));
  });

  afterEach(async () => {
    await cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  const tables = async () =>
    (
      await rows<{ name: string }>(
        client,
        sql`SELECT name FROM system.tables WHERE database = ${database} ORDER BY name`.text,
      )
    ).map((r) => r.name);

  const recorded = () =>
    rows<{ version: number; name: string; checksum: string }>(
      client,
      sql`SELECT version, name, checksum FROM ${sql.table(database, 'schema_migrations')} ORDER BY version`
        .text,
    );

  it('creates the database, applies the project migrations and records them', async () => {
    const result = await migrate(client, { database, migrationsDir: MIGRATIONS_DIR });

    expect(result.applied.map((m) => m.version)).toEqual(PROJECT_VERSIONS);
    expect(await tables()).toEqual(['guardrail_findings', 'invocations', 'schema_migrations']);
    const [table] = await rows<{ engine: string; partition_key: string; sorting_key: string }>(
      client,
      sql`SELECT engine, partition_key, sorting_key FROM system.tables WHERE database = ${database} AND name = 'invocations'`
        .text,
    );
    expect(table).toEqual({
      engine: 'ReplacingMergeTree',
      partition_key: 'toYYYYMMDD(start_time)',
      sorting_key: 'tenant_id, app_id, start_time, event_id',
    });
    expect(await recorded()).toEqual([
      { version: 1, name: 'invocations', checksum: result.applied[0]!.checksum },
      { version: 2, name: 'error_message_and_retrievals', checksum: result.applied[1]!.checksum },
      { version: 3, name: 'invocation_v2', checksum: result.applied[2]!.checksum },
      { version: 4, name: 'invocation_v3', checksum: result.applied[3]!.checksum },
      { version: 5, name: 'guardrail_findings', checksum: result.applied[4]!.checksum },
    ]);
    const [findings] = await rows<{ engine: string; partition_key: string; sorting_key: string }>(
      client,
      sql`SELECT engine, partition_key, sorting_key FROM system.tables WHERE database = ${database} AND name = 'guardrail_findings'`
        .text,
    );
    expect(findings).toEqual({
      engine: 'ReplacingMergeTree',
      partition_key: 'toYYYYMMDD(time)',
      sorting_key: 'tenant_id, app_id, time, finding_id',
    });
    const columns = await rows<{ name: string }>(
      client,
      sql`SELECT name FROM system.columns WHERE database = ${database} AND table = 'invocations' AND name IN ('error_message', 'retrievals_json', 'agent_version', 'cache_creation_input_tokens', 'gateway_json', 'source', 'guardrails_json') ORDER BY name`
        .text,
    );
    expect(columns.map((c) => c.name)).toEqual([
      'agent_version',
      'cache_creation_input_tokens',
      'error_message',
      'gateway_json',
      'guardrails_json',
      'retrievals_json',
      'source',
    ]);
  });

  it('does nothing when run again', async () => {
    await migrate(client, { database, migrationsDir: MIGRATIONS_DIR });
    const again = await migrate(client, { database, migrationsDir: MIGRATIONS_DIR });

    expect(again).toEqual({ applied: [], alreadyApplied: PROJECT_VERSIONS, unknownApplied: [] });
    expect(await recorded()).toHaveLength(PROJECT_VERSIONS.length);
    expect(await tables()).toEqual(['guardrail_findings', 'invocations', 'schema_migrations']);
  });

  it('fails, before running anything, when an applied migration changed', async () => {
    await copyFile(
      path.join(MIGRATIONS_DIR, '0001_invocations.sql'),
      path.join(dir, '0001_invocations.sql'),
    );
    await migrate(client, { database, migrationsDir: dir });

    const original = await readFile(path.join(dir, '0001_invocations.sql'), 'utf8');
    await writeFile(
      path.join(dir, '0001_invocations.sql'),
      original.replace(
        'event_id                 String,',
        'event_id                 String, extra String,',
      ),
    );
    await writeFile(
      path.join(dir, '0002_next.sql'),
      'CREATE TABLE IF NOT EXISTS {{database}}.next (x UInt8) ENGINE = Log;',
    );

    const run = migrate(client, { database, migrationsDir: dir });
    await expect(run).rejects.toBeInstanceOf(MigrationChecksumError);
    await expect(run).rejects.toThrow(
      /0001_invocations\.sql was applied with checksum [0-9a-f]{64} but the file now has [0-9a-f]{64}/,
    );
    expect(await tables()).not.toContain('next');
  });

  it('accepts an applied migration whose comments changed', async () => {
    await copyFile(
      path.join(MIGRATIONS_DIR, '0001_invocations.sql'),
      path.join(dir, '0001_invocations.sql'),
    );
    await migrate(client, { database, migrationsDir: dir });
    const original = await readFile(path.join(dir, '0001_invocations.sql'), 'utf8');
    await writeFile(path.join(dir, '0001_invocations.sql'), `-- a new note\n${original}`);

    await expect(migrate(client, { database, migrationsDir: dir })).resolves.toMatchObject({
      applied: [],
    });
  });

  it('applies a file of several statements, semicolons in literals and comments included', async () => {
    await writeFile(
      path.join(dir, '0001_multi.sql'),
      [
        '-- first; not a statement',
        "CREATE TABLE IF NOT EXISTS {{database}}.a (s String DEFAULT 'x;y', t String DEFAULT 'it''s') ENGINE = Log;",
        '/* second; */',
        'CREATE TABLE IF NOT EXISTS {{database}}.b (s String) ENGINE = Log',
        ';',
        "INSERT INTO {{database}}.b VALUES ('--;')",
        '',
      ].join('\n'),
    );
    await migrate(client, { database, migrationsDir: dir });

    expect(await tables()).toEqual(['a', 'b', 'schema_migrations']);
    expect(await rows(client, sql`SELECT s FROM ${sql.table(database, 'b')}`.text)).toEqual([
      { s: '--;' },
    ]);
    const [def] = await rows<{ default_expression: string }>(
      client,
      sql`SELECT default_expression FROM system.columns WHERE database = ${database} AND table = 'a' AND name = 's'`
        .text,
    );
    expect(def!.default_expression).toBe("'x;y'");
  });

  it('lets replicas that start together take turns, each migration applied and recorded once', async () => {
    await writeFile(
      path.join(dir, '0001_t.sql'),
      'CREATE TABLE IF NOT EXISTS {{database}}.t (a UInt8) ENGINE = MergeTree ORDER BY a;',
    );
    // Not re-runnable on 18.16 (no ADD COLUMN IF NOT EXISTS): two runners at once would collide.
    await writeFile(
      path.join(dir, '0002_add_b.sql'),
      'ALTER TABLE {{database}}.t ADD COLUMN b String;',
    );
    await writeFile(
      path.join(dir, '0003_add_c.sql'),
      'ALTER TABLE {{database}}.t ADD COLUMN c String;',
    );

    const url = testEndpoints().clickhouseUrl;
    const replicas = Array.from({ length: 4 }, () => createClickHouseClient({ url }));
    try {
      const results = await Promise.all(
        replicas.map((c, i) =>
          migrate(c, {
            database,
            migrationsDir: dir,
            lock: { owner: `replica-${i}`, pollIntervalMs: 50 },
          }),
        ),
      );
      const appliedVersions = results.flatMap((r) => r.applied.map((m) => m.version)).sort();
      expect(appliedVersions).toEqual([1, 2, 3]);
    } finally {
      await Promise.all(replicas.map((c) => c.close()));
    }
    expect((await recorded()).map((r) => r.version)).toEqual([1, 2, 3]);
    expect(
      (
        await rows<{ name: string }>(
          client,
          sql`SELECT name FROM system.columns WHERE database = ${database} AND table = 't'`.text,
        )
      ).map((c) => c.name),
    ).toEqual(['a', 'b', 'c']);
    expect(await tables()).not.toContain('schema_migrations_lock');
  });

  it('keeps the lock of a migration that runs longer than staleAfterMs alive by heartbeats', async () => {
    await writeFile(
      path.join(dir, '0001_slow.sql'),
      'CREATE TABLE IF NOT EXISTS {{database}}.slow ENGINE = Log AS SELECT sleep(2.5) AS x;',
    );
    const warnings: string[] = [];
    const logger = {
      info: () => undefined,
      warn: (_f: unknown, message: string) => void warnings.push(message),
    };
    const second = createClickHouseClient({ url: testEndpoints().clickhouseUrl });
    try {
      const options = {
        database,
        migrationsDir: dir,
        logger,
        lock: { staleAfterMs: 1_000, pollIntervalMs: 100 },
      };
      let firstSettled = false;
      const first = migrate(client, {
        ...options,
        lock: { ...options.lock, owner: 'first' },
      }).finally(() => (firstSettled = true));
      // The second runner starts once the first one holds the lock (its slow migration runs).
      const seen = await waitFor(
        'the first runner to hold the migration lock',
        async () => {
          if (firstSettled) return 'first runner finished before it was seen holding the lock';
          const holders = await rows<{ owner: string }>(
            client,
            sql`SELECT owner FROM ${sql.table(database, 'schema_migrations_lock')}`.text,
          ).catch(() => []); // no lock table yet
          return holders.some((h) => h.owner === 'first') && 'held by first';
        },
        { timeoutMs: 30_000, intervalMs: 20 },
      );
      expect(seen).toBe('held by first');
      const results = await Promise.all([
        first,
        migrate(second, { ...options, lock: { ...options.lock, owner: 'second' } }),
      ]);
      expect(results.map((r) => r.applied.length)).toEqual([1, 0]);
    } finally {
      await second.close();
    }
    expect(warnings).toEqual([]);
    expect(await recorded()).toHaveLength(1);
  });

  it('takes over a lock whose holder stopped beating', async () => {
    await client.command({ query: sql`CREATE DATABASE ${sql.id(database)}`.text });
    await client.command({
      query:
        sql`CREATE TABLE ${sql.table(database, 'schema_migrations_lock')} ENGINE = Log AS SELECT 'dead-replica' AS owner, toUInt64(now()) - 3600 AS heartbeat`
          .text,
    });

    const result = await migrate(client, {
      database,
      migrationsDir: MIGRATIONS_DIR,
      lock: { staleAfterMs: 5_000, pollIntervalMs: 50 },
    });

    expect(result.applied.map((m) => m.version)).toEqual(PROJECT_VERSIONS);
    expect(await tables()).not.toContain('schema_migrations_lock');
  });

  it('waits for a live lock and gives up with a retriable error naming the holder', async () => {
    await client.command({ query: sql`CREATE DATABASE ${sql.id(database)}`.text });
    await client.command({
      query:
        sql`CREATE TABLE ${sql.table(database, 'schema_migrations_lock')} ENGINE = Log AS SELECT 'busy-replica' AS owner, toUInt64(now()) AS heartbeat`
          .text,
    });

    const started = Date.now();
    const run = migrate(client, {
      database,
      migrationsDir: MIGRATIONS_DIR,
      lock: { staleAfterMs: 60_000, waitTimeoutMs: 1_000, pollIntervalMs: 100 },
    });
    await expect(run).rejects.toBeInstanceOf(MigrationLockTimeoutError);
    await expect(run).rejects.toMatchObject({ retriable: true });
    await expect(run).rejects.toThrow(/held by busy-replica/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(await tables()).not.toContain('invocations');
  });

  it('records nothing for a failed migration, releases the lock, and names the statement', async () => {
    await writeFile(
      path.join(dir, '0001_bad.sql'),
      'CREATE TABLE IF NOT EXISTS {{database}}.ok (a UInt8) ENGINE = Log;\nCREATE TABLE {{database}}.bad (a NoSuchType) ENGINE = Log;',
    );

    const run = migrate(client, { database, migrationsDir: dir });
    await expect(run).rejects.toBeInstanceOf(MigrationError);
    await expect(run).rejects.toThrow(/migration 0001_bad\.sql, statement 2 of 2 failed/);
    await expect(run).rejects.toMatchObject({ retriable: false });
    expect(await readApplied(client, database)).toEqual([]);
    expect(await tables()).toEqual(['ok', 'schema_migrations']);
  });

  it('reports versions applied by a newer release without failing', async () => {
    await migrate(client, { database, migrationsDir: MIGRATIONS_DIR });
    await client.command({
      query:
        sql`INSERT INTO ${sql.table(database, 'schema_migrations')} (version, name, checksum) VALUES (99, 'future', 'abc')`
          .text,
    });

    const result = await migrate(client, { database, migrationsDir: MIGRATIONS_DIR });
    expect(result).toEqual({ applied: [], alreadyApplied: PROJECT_VERSIONS, unknownApplied: [99] });
  });
});
