import type { Invocation } from '@llmops/contracts';
import {
  classifyClickHouseError,
  sqlIdentifier,
  type ClickHouseClient,
  type ClickHouseSettings,
} from '@llmops/clickhouse';
import { InvalidInvocationBatchError, InvalidInvocationError } from './invocation-errors';
import { INVOCATION_ROW_COLUMNS, toInvocationRow, type InvocationRow } from './invocation-row';

export interface InvocationWriterOptions {
  /** Database holding the table (migrated by `migrate` from `@llmops/clickhouse`). */
  database: string;
  /** @default 'invocations' */
  table?: string;
  /**
   * Settings for each INSERT. None are needed on 18.16. On current releases a
   * batch spanning more than 100 days (a backfill) needs
   * `max_partitions_per_insert_block` raised; 18.16 does not know that setting.
   */
  clickhouseSettings?: ClickHouseSettings;
}

/**
 * Writes batches of redacted invocations to ClickHouse: one `INSERT … FORMAT
 * JSONEachRow` per batch, naming its columns (so `inserted_at` takes its
 * server-side default).
 *
 * Idempotent on `event_id`: writing a batch again (a Kafka redelivery) adds
 * rows that the table's ReplacingMergeTree collapses, and the saved queries
 * read with FINAL, so no count changes.
 *
 * Failures: {@link InvalidInvocationBatchError} (nothing written; its
 * `invalid` list names the events to dead-letter), or the
 * `ClickHouseRetriableError` / `ClickHouseNonRetriableError` of
 * `@llmops/clickhouse`. Retrying a failed insert is safe for the same reason
 * a redelivery is.
 */
export class InvocationWriter {
  private readonly table: string;
  private readonly label: string;

  constructor(
    private readonly client: ClickHouseClient,
    private readonly options: InvocationWriterOptions,
  ) {
    const table = options.table ?? 'invocations';
    this.table = `${sqlIdentifier(options.database)}.${sqlIdentifier(table)}`;
    this.label = `${options.database}.${table}`;
  }

  async write(invocations: readonly Invocation[]): Promise<void> {
    if (invocations.length === 0) return;
    const rows: InvocationRow[] = [];
    const invalid: InvalidInvocationError[] = [];
    for (const inv of invocations) {
      try {
        rows.push(toInvocationRow(inv));
      } catch (err) {
        if (!(err instanceof InvalidInvocationError)) throw err;
        invalid.push(err);
      }
    }
    if (invalid.length > 0) throw new InvalidInvocationBatchError(invalid);
    try {
      await this.client.insert({
        table: this.table,
        values: rows,
        format: 'JSONEachRow',
        columns: [...INVOCATION_ROW_COLUMNS],
        clickhouse_settings: this.options.clickhouseSettings,
      });
    } catch (err) {
      throw classifyClickHouseError(
        err,
        `insert of ${rows.length} invocation(s) into ${this.label}`,
      );
    }
  }
}
