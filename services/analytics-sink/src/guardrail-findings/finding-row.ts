import type { GuardrailFinding } from '@llmops/contracts';
import { formatDateTime } from '@llmops/clickhouse';
import { InvalidGuardrailFindingError } from './finding-errors';

/**
 * One row of `guardrail_findings` (deploy/clickhouse/migrations/0005_guardrail_findings.sql) as
 * sent in `JSONEachRow`; `inserted_at` is left to the server (`DEFAULT now()`).
 */
export interface GuardrailFindingRow {
  finding_id: string;
  event_id: string;
  tenant_id: string;
  app_id: string;
  user_id: string;
  agent_id: string;
  agent_name: string;
  trace_id: string;
  span_id: string;
  /** `YYYY-MM-DD hh:mm:ss`, UTC, the second of `time_ms`. */
  time: string;
  time_ms: number;
  rule_id: string;
  rule_revision: number;
  stage: string;
  action: string;
  severity: string;
  outcome: string;
  mode: string;
  source: string;
  detail: string;
  duration_us: number | null;
  tool_name: string;
  operation: string;
  provider_name: string;
  request_model: string;
  endpoint_host: string;
  endpoint_kind: string;
}

/** The columns the writer names in its INSERT, in table order. */
export const GUARDRAIL_FINDING_ROW_COLUMNS = [
  'finding_id',
  'event_id',
  'tenant_id',
  'app_id',
  'user_id',
  'agent_id',
  'agent_name',
  'trace_id',
  'span_id',
  'time',
  'time_ms',
  'rule_id',
  'rule_revision',
  'stage',
  'action',
  'severity',
  'outcome',
  'mode',
  'source',
  'detail',
  'duration_us',
  'tool_name',
  'operation',
  'provider_name',
  'request_model',
  'endpoint_host',
  'endpoint_kind',
] as const satisfies ReadonlyArray<keyof GuardrailFindingRow>;

/** The last second a `DateTime` can hold (2106-02-07 06:28:15 UTC), in milliseconds. */
const MAX_DATETIME_MS = 4_294_967_295_999;
const MAX_UINT32 = 4_294_967_295;

/**
 * Maps a finding to its row. Pure; throws {@link InvalidGuardrailFindingError} (listing every
 * problem) for a finding that cannot be stored faithfully: no id or tenant, a time outside what
 * `DateTime` holds, a negative revision. Absent optional strings become ''. A check duration the
 * column cannot hold (negative, fractional) is stored as NULL: it describes the check, not the
 * finding.
 */
export function toGuardrailFindingRow(f: GuardrailFinding): GuardrailFindingRow {
  const problems: string[] = [];
  if (!f.finding_id) problems.push('finding_id is empty');
  if (!f.tenant_id) problems.push('tenant_id is empty');
  const timeValid =
    Number.isSafeInteger(f.time_ms) && f.time_ms >= 0 && f.time_ms <= MAX_DATETIME_MS;
  if (!timeValid)
    problems.push(
      `time_ms ${String(f.time_ms)} is outside 1970-01-01..2106-02-07 (epoch milliseconds)`,
    );
  if (!Number.isSafeInteger(f.rule_revision) || f.rule_revision < 0 || f.rule_revision > MAX_UINT32)
    problems.push(
      `rule_revision must be a non-negative 32-bit integer (got ${String(f.rule_revision)})`,
    );
  if (problems.length > 0) throw new InvalidGuardrailFindingError(f.finding_id, problems);
  return {
    finding_id: f.finding_id,
    event_id: f.event_id,
    tenant_id: f.tenant_id,
    app_id: f.app_id,
    user_id: f.user_id ?? '',
    agent_id: f.agent_id ?? '',
    agent_name: f.agent_name ?? '',
    trace_id: f.trace_id,
    span_id: f.span_id ?? '',
    time: formatDateTime(Math.floor(f.time_ms / 1000) * 1000),
    time_ms: f.time_ms,
    rule_id: f.rule_id,
    rule_revision: f.rule_revision,
    stage: f.stage,
    action: f.action,
    severity: f.severity,
    outcome: f.outcome,
    mode: f.mode,
    source: f.source,
    detail: f.detail ?? '',
    duration_us:
      f.duration_us !== null && Number.isSafeInteger(f.duration_us) && f.duration_us >= 0
        ? f.duration_us
        : null,
    tool_name: f.tool_name ?? '',
    operation: f.operation,
    provider_name: f.provider_name,
    request_model: f.request_model,
    endpoint_host: f.endpoint_host ?? '',
    endpoint_kind: f.endpoint_kind,
  };
}
