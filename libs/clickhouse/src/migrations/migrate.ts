import type { ClickHouseClient } from '@clickhouse/client';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { classifyClickHouseError } from '../errors';
import { sql } from '../sql';
import { renderDatabase } from '../sql-script';
import { MigrationChecksumError, MigrationError } from './migration-errors';
import { loadMigrations, type Migration } from './migration-files';
import { MigrationLock, type MigrationLockOptions, type MigrationLogger } from './migration-lock';

const TABLE_ALREADY_EXISTS = 57;
const DATABASE_ALREADY_EXISTS = 82;

export interface MigrateOptions {
  /** Target database; created if missing, and what `{{database}}` renders to. */
  database: string;
  /** Folder of `NNNN_name.sql` files (in this repo: `deploy/clickhouse/migrations`). */
  migrationsDir: string;
  /** Lock tuning; see {@link MigrationLock}. */
  lock?: Omit<MigrationLockOptions, 'owner'> & { owner?: string };
  logger?: MigrationLogger;
}

/** One row of `schema_migrations`. */
export interface AppliedMigration {
  version: number;
  name: string;
  checksum: string;
  /** Epoch seconds, server clock. */
  appliedAt: number;
}

export interface MigrateResult {
  /** Migrations this call applied, in order. */
  applied: Array<Pick<Migration, 'version' | 'name' | 'checksum'>>;
  /** Versions that were applied before and still match their files. */
  alreadyApplied: number[];
  /**
   * Versions recorded in the database that no file here describes: a newer
   * release migrated this database (a rollback of the code). Not an error.
   */
  unknownApplied: number[];
}

/**
 * Applies the pending migrations of `migrationsDir` to `database`, in version
 * order, and records each in `<database>.schema_migrations` (version, name,
 * checksum, applied_at). Applied migrations are skipped; one whose file
 * changed since fails with {@link MigrationChecksumError} before anything runs.
 *
 * Concurrency: replicas starting together take turns through
 * {@link MigrationLock}; the one that waited re-reads the record and finds
 * nothing left to do. When nothing is pending no lock is taken at all.
 * Statements must be safe to re-run (`CREATE … IF NOT EXISTS`): a migration
 * that failed half-way is not recorded and runs again from its first
 * statement next time.
 */
export async function migrate(
  client: ClickHouseClient,
  options: MigrateOptions,
): Promise<MigrateResult> {
  const { database, logger } = options;
  const migrations = await loadMigrations(options.migrationsDir);
  const db = sql.id(database);

  // IF NOT EXISTS is checked before the server's DDL guard on 18.16, so two
  // runners racing here can still get "already exists": that is success too.
  await command(
    client,
    sql`CREATE DATABASE IF NOT EXISTS ${db}`.text,
    `create database ${database}`,
    [DATABASE_ALREADY_EXISTS],
  );
  await command(
    client,
    sql`CREATE TABLE IF NOT EXISTS ${db}.schema_migrations
(
    version    UInt32,
    name       String,
    checksum   String,
    applied_at DateTime('UTC') DEFAULT now()
)
ENGINE = ReplacingMergeTree(applied_at)
ORDER BY version`.text,
    'create schema_migrations',
    [TABLE_ALREADY_EXISTS],
  );

  const pendingWithoutLock = plan(migrations, await readApplied(client, database));
  if (pendingWithoutLock.pending.length === 0) {
    return { applied: [], ...pendingWithoutLock.summary };
  }

  const lock = new MigrationLock(
    client,
    database,
    {
      ...options.lock,
      owner: options.lock?.owner ?? `${hostname()}:${process.pid}:${randomUUID()}`,
    },
    logger,
  );
  await lock.acquire();
  let failure: unknown;
  try {
    // Re-read under the lock: another replica may have migrated meanwhile.
    const { pending, summary } = plan(migrations, await readApplied(client, database));
    const applied: MigrateResult['applied'] = [];
    for (const migration of pending) {
      await apply(client, database, migration);
      applied.push({
        version: migration.version,
        name: migration.name,
        checksum: migration.checksum,
      });
      logger?.info(
        { database, version: migration.version, migration: migration.file },
        'applied ClickHouse migration',
      );
    }
    return { applied, ...summary };
  } catch (err) {
    failure = err;
    throw err;
  } finally {
    try {
      await lock.release();
    } catch (releaseErr) {
      // Never hide the migration's own failure behind the release's.
      if (failure === undefined) throw releaseErr;
      logger?.warn(
        { database, error: (releaseErr as Error).message },
        'could not release the migration lock after a failed migration (it expires as stale)',
      );
    }
  }
}

/** The rows of `<database>.schema_migrations`, one per version (the earliest record). */
export async function readApplied(
  client: ClickHouseClient,
  database: string,
): Promise<AppliedMigration[]> {
  let rows: Array<{ version: number; name: string; checksum: string; applied_at: number }>;
  try {
    const result = await client.query({
      query: sql`SELECT version, name, checksum, toUInt32(applied_at) AS applied_at
FROM ${sql.table(database, 'schema_migrations')}
ORDER BY version, applied_at`.text,
      format: 'JSONEachRow',
    });
    rows = await result.json();
  } catch (err) {
    throw classifyClickHouseError(err, `read ${database}.schema_migrations`);
  }
  const byVersion = new Map<number, AppliedMigration>();
  for (const row of rows) {
    const version = Number(row.version);
    const first = byVersion.get(version);
    if (first && first.checksum !== row.checksum) {
      throw new MigrationError(
        `${database}.schema_migrations records version ${version} twice with different checksums ` +
          `(${first.checksum}, ${row.checksum}): resolve by hand`,
      );
    }
    if (!first) {
      byVersion.set(version, {
        version,
        name: row.name,
        checksum: row.checksum,
        appliedAt: Number(row.applied_at),
      });
    }
  }
  return [...byVersion.values()];
}

function plan(
  migrations: Migration[],
  applied: AppliedMigration[],
): { pending: Migration[]; summary: Omit<MigrateResult, 'applied'> } {
  const appliedByVersion = new Map(applied.map((a) => [a.version, a]));
  const known = new Set(migrations.map((m) => m.version));
  const alreadyApplied: number[] = [];
  const pending: Migration[] = [];
  for (const migration of migrations) {
    const record = appliedByVersion.get(migration.version);
    if (!record) {
      pending.push(migration);
      continue;
    }
    if (record.checksum !== migration.checksum) {
      throw new MigrationChecksumError(
        migration.version,
        migration.file,
        record.checksum,
        migration.checksum,
      );
    }
    alreadyApplied.push(migration.version);
  }
  const unknownApplied = applied.map((a) => a.version).filter((v) => !known.has(v));
  return { pending, summary: { alreadyApplied, unknownApplied } };
}

async function apply(
  client: ClickHouseClient,
  database: string,
  migration: Migration,
): Promise<void> {
  const total = migration.statements.length;
  for (const [i, statement] of migration.statements.entries()) {
    const query = renderDatabase(statement, database, migration.file);
    try {
      await client.command({ query });
    } catch (err) {
      const classified = classifyClickHouseError(
        err,
        `migration ${migration.file}, statement ${i + 1} of ${total}`,
      );
      throw new MigrationError(classified.message, {
        retriable: classified.retriable,
        cause: classified,
      });
    }
  }
  await command(
    client,
    sql`INSERT INTO ${sql.table(database, 'schema_migrations')} (version, name, checksum)
VALUES (${migration.version}, ${migration.name}, ${migration.checksum})`.text,
    `record migration ${migration.file}`,
  );
}

async function command(
  client: ClickHouseClient,
  query: string,
  what: string,
  ignoreCodes: number[] = [],
): Promise<void> {
  try {
    await client.command({ query });
  } catch (err) {
    const classified = classifyClickHouseError(err, what);
    if (classified.code !== undefined && ignoreCodes.includes(classified.code)) return;
    throw classified;
  }
}
