import { createClickHouseClient, sql, type ClickHouseClient } from '@llmops/clickhouse';
import { parse, required, UsageError } from '../../args';
import type { CliContext } from '../../context';

export const guardrailsExportHelp = `llmops guardrails export --tenant T --stage input|output|tool_call --from DATE --to DATE
                          [--app A] [--limit N]
  writes recorded (redacted) invocations of ClickHouse as dataset items for 'eval', one JSON line
  each; "expected" is prefilled with the rules that fired on the call: check and correct each
  label, then feed the file to 'guardrails eval --dataset'`;

const STAGES = ['input', 'output', 'tool_call'] as const;
type ExportStage = (typeof STAGES)[number];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export interface ExportArgs {
  tenant: string;
  stage: ExportStage;
  from: string;
  to: string;
  app?: string;
  limit: number;
}

export function parseExportArgs(argv: string[]): ExportArgs {
  const { values, positionals } = parse('guardrails export', argv, {
    tenant: { type: 'string' },
    stage: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    app: { type: 'string' },
    limit: { type: 'string' },
  });
  if (positionals.length > 0)
    throw new UsageError(`guardrails export: unexpected argument '${positionals[0]}'`);
  const stage = required('guardrails export', 'stage', values.stage);
  if (!(STAGES as readonly string[]).includes(stage))
    throw new UsageError(
      `guardrails export: --stage must be ${STAGES.join(', ')} (got '${stage}')`,
    );
  const from = required('guardrails export', 'from', values.from);
  const to = required('guardrails export', 'to', values.to);
  for (const [name, v] of [
    ['from', from],
    ['to', to],
  ] as const)
    if (!DAY.test(v) || Number.isNaN(Date.parse(v)))
      throw new UsageError(`guardrails export: --${name} must be a day, YYYY-MM-DD (got '${v}')`);
  if (from > to) throw new UsageError('guardrails export: --from is after --to');
  const limit = values.limit === undefined ? 1000 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100_000)
    throw new UsageError('guardrails export: --limit must be a whole number from 1 to 100000');
  return {
    tenant: required('guardrails export', 'tenant', values.tenant),
    stage: stage as ExportStage,
    from,
    to,
    ...(typeof values.app === 'string' ? { app: values.app } : {}),
    limit,
  };
}

/** The columns of `invocations` an item is made of (the text columns hold the redacted copy). */
export interface ExportRow {
  event_id: string;
  tenant_id: string;
  app_id: string;
  agent_id: string;
  request_model: string;
  endpoint_kind: string;
  system_instructions: string;
  input_messages_json: string;
  output_messages_json: string;
  tool_calls_json: string;
  guardrails_json: string;
}

interface Message {
  role: string;
  content: string | null;
}

function parseList<T>(json: string): T[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? (v as T[]) : [];
  } catch {
    return [];
  }
}

/**
 * The dataset items of one recorded invocation for a stage: its prompt (`input`), its answer
 * (`output`) or each of its tool calls (`tool_call`), with `expected` prefilled from the
 * decisions recorded on the call (the rules that were violated at that stage).
 */
export function itemsFromRow(row: ExportRow, stage: ExportStage): object[] {
  const fired = [
    ...new Set(
      parseList<{ stage?: string; outcome?: string; rule_id?: string }>(row.guardrails_json)
        .filter((d) => d.stage === stage && d.outcome === 'violated' && d.rule_id)
        .map((d) => d.rule_id!),
    ),
  ];
  const base = {
    stage,
    tenant: row.tenant_id,
    ...(row.app_id ? { app_id: row.app_id } : {}),
    ...(row.agent_id ? { agent_id: row.agent_id } : {}),
    ...(row.request_model ? { model: row.request_model } : {}),
    ...(row.endpoint_kind === 'internal' || row.endpoint_kind === 'external'
      ? { endpoint_kind: row.endpoint_kind }
      : {}),
    expected: fired,
    note: 'exported from ClickHouse (redacted); expected = the rules that fired: check each label',
  };
  const toMessage = (m: Message) => ({ role: m.role, content: m.content ?? null });
  if (stage === 'input') {
    const messages = parseList<Message>(row.input_messages_json).map(toMessage);
    if (row.system_instructions)
      messages.unshift({ role: 'system', content: row.system_instructions });
    return messages.length > 0 ? [{ id: row.event_id, ...base, messages }] : [];
  }
  if (stage === 'output') {
    const text = parseList<Message>(row.output_messages_json)
      .map((m) => m.content ?? '')
      .filter((t) => t !== '')
      .join('\n');
    return text !== '' ? [{ id: row.event_id, ...base, text }] : [];
  }
  return parseList<{ name?: string; arguments?: string | null }>(row.tool_calls_json)
    .filter((tc) => typeof tc.name === 'string' && tc.name !== '')
    .map((tc, i) => ({
      id: `${row.event_id}#${i}`,
      ...base,
      tool_call: { name: tc.name!, arguments: tc.arguments ?? '' },
    }));
}

export async function exportRows(
  client: ClickHouseClient,
  database: string,
  a: ExportArgs,
): Promise<ExportRow[]> {
  const query = sql`
    SELECT event_id, tenant_id, app_id, agent_id, request_model, endpoint_kind,
           system_instructions, input_messages_json, output_messages_json, tool_calls_json,
           guardrails_json
    FROM ${sql.table(database, 'invocations')} FINAL
    WHERE tenant_id = ${a.tenant}
      AND toDate(start_time) >= ${sql.date(a.from)} AND toDate(start_time) <= ${sql.date(a.to)}
      ${a.app !== undefined ? sql`AND app_id = ${a.app}` : sql``}
    ORDER BY start_time_ms, event_id
    LIMIT ${a.limit}`;
  const result = await client.query({ query: query.text, format: 'JSONEachRow' });
  return result.json<ExportRow>();
}

export async function guardrailsExport(ctx: CliContext, argv: string[]): Promise<number> {
  const args = parseExportArgs(argv);
  const client = createClickHouseClient({ url: ctx.endpoints.clickhouseUrl });
  try {
    const rows = await exportRows(client, ctx.config.CLICKHOUSE_DATABASE, args);
    let n = 0;
    for (const row of rows)
      for (const item of itemsFromRow(row, args.stage)) {
        process.stdout.write(`${JSON.stringify(item)}\n`);
        n++;
      }
    ctx.err(`${n} items from ${rows.length} invocations`);
    return 0;
  } finally {
    await client.close();
  }
}
