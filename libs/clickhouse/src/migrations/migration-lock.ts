import type { ClickHouseClient } from '@clickhouse/client';
import { classifyClickHouseError } from '../errors';
import { sql, type SqlFragment } from '../sql';
import { MigrationLockTimeoutError } from './migration-errors';

/** A pino-compatible logger: `(fields, message)`. */
export interface MigrationLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface MigrationLockOptions {
  /** Who holds the lock, written into it for operators. */
  owner: string;
  /**
   * A lock whose last heartbeat (server clock) is older than this is taken
   * over: its holder died mid-migration. The holder beats every quarter of it.
   * @default 60000
   */
  staleAfterMs?: number;
  /** How long to wait for a live holder before failing (retriable). @default 300000 */
  waitTimeoutMs?: number;
  /** @default 500 */
  pollIntervalMs?: number;
}

const LOCK_TABLE = 'schema_migrations_lock';
const TABLE_ALREADY_EXISTS = 57;
const UNKNOWN_TABLE = 60;

/**
 * A mutex for migration runners that share one ClickHouse server.
 *
 * ClickHouse has no transactions or advisory locks, but creating a table that
 * exists fails (TABLE_ALREADY_EXISTS) atomically under the server's DDL guard,
 * on 18.16 as on current releases. So the lock is the existence of the table
 * `<database>.schema_migrations_lock`: `CREATE TABLE … AS SELECT owner,
 * now()` acquires it, `DROP TABLE` releases it. The holder appends a heartbeat
 * row periodically; a waiter that finds the newest heartbeat older than
 * `staleAfterMs` (both read with the server's clock) drops the table and tries
 * again, so a runner killed mid-migration blocks the others for at most that
 * long.
 *
 * Limits: this is a single-server lock (no `ON CLUSTER`). Taking over a stale
 * lock is check-then-drop: two waiters that both see the same dead holder at
 * the same moment can both get in. That needs a holder to have died first,
 * and migrations are written to be re-runnable (`IF NOT EXISTS`), so the worst
 * outcome is one runner failing on a non-idempotent statement and succeeding
 * on restart.
 */
export class MigrationLock {
  private readonly table: SqlFragment;
  private readonly staleAfterMs: number;
  private readonly waitTimeoutMs: number;
  private readonly pollIntervalMs: number;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: ClickHouseClient,
    private readonly database: string,
    private readonly options: MigrationLockOptions,
    private readonly logger?: MigrationLogger,
  ) {
    this.table = sql.table(database, LOCK_TABLE);
    this.staleAfterMs = options.staleAfterMs ?? 60_000;
    this.waitTimeoutMs = options.waitTimeoutMs ?? 300_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
  }

  async acquire(): Promise<void> {
    const started = Date.now();
    let lastOwner: string | undefined;
    for (;;) {
      if (await this.tryCreate()) {
        this.startHeartbeat();
        return;
      }
      const state = await this.inspect();
      if (state === undefined) continue; // released meanwhile: try again at once
      lastOwner = state.owner;
      if (state.ageSeconds * 1000 > this.staleAfterMs) {
        this.logger?.warn(
          { database: this.database, owner: state.owner, ageSeconds: state.ageSeconds },
          'taking over a stale migration lock',
        );
        await this.run(
          sql`DROP TABLE IF EXISTS ${this.table}`.text,
          'drop the stale migration lock',
        );
        continue;
      }
      if (Date.now() - started > this.waitTimeoutMs) {
        throw new MigrationLockTimeoutError(this.database, lastOwner, Date.now() - started);
      }
      await new Promise((resolve) => setTimeout(resolve, this.pollIntervalMs));
    }
  }

  async release(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    let others: number;
    try {
      const result = await this.client.query({
        query: sql`SELECT countIf(owner != ${this.options.owner}) AS others FROM ${this.table}`
          .text,
        format: 'JSONEachRow',
      });
      const [row] = await result.json<{ others: number | string }>();
      others = Number(row?.others ?? 0);
    } catch (err) {
      const classified = classifyClickHouseError(err, 'read the migration lock');
      if (classified.code === UNKNOWN_TABLE) return; // already gone
      throw classified;
    }
    if (others > 0) {
      this.logger?.warn(
        { database: this.database, owner: this.options.owner },
        'the migration lock was taken over while held (heartbeats too late?); leaving it to its new owner',
      );
      return;
    }
    await this.run(sql`DROP TABLE IF EXISTS ${this.table}`.text, 'release the migration lock');
  }

  private async tryCreate(): Promise<boolean> {
    try {
      await this.client.command({
        query:
          sql`CREATE TABLE ${this.table} ENGINE = Log AS SELECT ${this.options.owner} AS owner, toUInt64(now()) AS heartbeat`
            .text,
      });
      return true;
    } catch (err) {
      const classified = classifyClickHouseError(err, 'create the migration lock');
      if (classified.code === TABLE_ALREADY_EXISTS) return false;
      throw classified;
    }
  }

  /** The current holder and the age of its newest heartbeat, or undefined when the lock is gone. */
  private async inspect(): Promise<{ owner: string; ageSeconds: number } | undefined> {
    try {
      const result = await this.client.query({
        query:
          `SELECT argMax(owner, heartbeat) AS owner, toInt64(now()) - toInt64(max(heartbeat)) AS age, ` +
          `count() AS n FROM ${this.table.text}`,
        format: 'JSONEachRow',
      });
      const [row] = await result.json<{
        owner: string;
        age: number | string;
        n: number | string;
      }>();
      if (row && Number(row.n) > 0) return { owner: row.owner, ageSeconds: Number(row.age) };
      // Created but its first row not yet visible (or the creator died right
      // there): age it by the table's creation time.
      const meta = await this.client.query({
        query:
          sql`SELECT toInt64(now()) - toInt64(metadata_modification_time) AS age FROM system.tables WHERE database = ${this.database} AND name = ${LOCK_TABLE}`
            .text,
        format: 'JSONEachRow',
      });
      const [m] = await meta.json<{ age: number | string }>();
      return m ? { owner: '(unknown)', ageSeconds: Number(m.age) } : undefined;
    } catch (err) {
      const classified = classifyClickHouseError(err, 'inspect the migration lock');
      if (classified.code === UNKNOWN_TABLE) return undefined;
      throw classified;
    }
  }

  private startHeartbeat(): void {
    const every = Math.max(250, Math.floor(this.staleAfterMs / 4));
    this.heartbeat = setInterval(() => void this.beat(), every);
    this.heartbeat.unref();
  }

  private async beat(): Promise<void> {
    try {
      await this.client.command({
        query: sql`INSERT INTO ${this.table} SELECT ${this.options.owner}, toUInt64(now())`.text,
      });
    } catch (err) {
      this.logger?.warn(
        { database: this.database, error: classifyClickHouseError(err, 'heartbeat').message },
        'migration lock heartbeat failed',
      );
    }
  }

  private async run(query: string, what: string): Promise<void> {
    try {
      await this.client.command({ query });
    } catch (err) {
      throw classifyClickHouseError(err, what);
    }
  }
}
