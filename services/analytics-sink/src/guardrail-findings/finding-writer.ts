import type { GuardrailFinding } from '@llmops/contracts';
import {
  classifyClickHouseError,
  sqlIdentifier,
  type ClickHouseClient,
  type ClickHouseSettings,
} from '@llmops/clickhouse';
import {
  GUARDRAIL_FINDING_ROW_COLUMNS,
  toGuardrailFindingRow,
  type GuardrailFindingRow,
} from './finding-row';

export interface GuardrailFindingWriterOptions {
  /** Database holding the table (migrated by `migrate` from `@llmops/clickhouse`). */
  database: string;
  /** @default 'guardrail_findings' */
  table?: string;
  /** Settings for each INSERT (see `InvocationWriterOptions.clickhouseSettings`). */
  clickhouseSettings?: ClickHouseSettings;
}

/**
 * Writes batches of guardrail findings to ClickHouse: one `INSERT … FORMAT JSONEachRow` per
 * batch, naming its columns (so `inserted_at` takes its server-side default).
 *
 * Idempotent on `finding_id`: writing a batch again (a Kafka redelivery) adds rows that the
 * table's ReplacingMergeTree collapses, and reads use FINAL.
 *
 * Failures: the `InvalidGuardrailFindingError` of the first finding that cannot be stored
 * (nothing written; not retriable, so the consumer splits the batch and dead-letters that
 * finding alone), or the `ClickHouseRetriableError` / `ClickHouseNonRetriableError` of
 * `@llmops/clickhouse`.
 */
export class GuardrailFindingWriter {
  private readonly table: string;
  private readonly label: string;

  constructor(
    private readonly client: ClickHouseClient,
    private readonly options: GuardrailFindingWriterOptions,
  ) {
    const table = options.table ?? 'guardrail_findings';
    this.table = `${sqlIdentifier(options.database)}.${sqlIdentifier(table)}`;
    this.label = `${options.database}.${table}`;
  }

  async write(findings: readonly GuardrailFinding[]): Promise<void> {
    if (findings.length === 0) return;
    const rows: GuardrailFindingRow[] = findings.map(toGuardrailFindingRow);
    try {
      await this.client.insert({
        table: this.table,
        values: rows,
        format: 'JSONEachRow',
        columns: [...GUARDRAIL_FINDING_ROW_COLUMNS],
        clickhouse_settings: this.options.clickhouseSettings,
      });
    } catch (err) {
      throw classifyClickHouseError(
        err,
        `insert of ${rows.length} guardrail finding(s) into ${this.label}`,
      );
    }
  }
}
