import type { Invocation } from '@llmops/contracts';
import { formatDateTime } from '@llmops/clickhouse';
import { InvalidInvocationError } from './invocation-errors';

/**
 * One row of `invocations` (deploy/clickhouse/migrations/0001_invocations.sql, 0002, 0003, 0004)
 * as sent in `JSONEachRow`. `inserted_at` is absent on purpose: the server
 * fills it (`DEFAULT now()`), one clock for every replica.
 */
export interface InvocationRow {
  event_id: string;
  tenant_id: string;
  app_id: string;
  user_id: string;
  agent_id: string;
  agent_name: string;
  agent_version: string;
  conversation_id: string;
  trace_id: string;
  span_id: string;
  parent_span_id: string;
  operation: string;
  provider_name: string;
  request_model: string;
  response_model: string;
  response_id: string;
  endpoint_host: string;
  endpoint_kind: string;
  request_temperature: number | null;
  request_top_p: number | null;
  request_max_tokens: number | null;
  request_stream: 0 | 1;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  reasoning_tokens: number;
  cache_creation_input_tokens: number;
  finish_reasons: string[];
  /** `YYYY-MM-DD hh:mm:ss`, UTC: the text form `DateTime('UTC')` parses on 18.16 and current releases. */
  start_time: string;
  start_time_ms: number;
  duration_ms: number | null;
  time_to_first_token_ms: number | null;
  status: string;
  error_type: string;
  error_message: string;
  'labels.key': string[];
  'labels.value': string[];
  pii_finding_count: number;
  pii_types: string[];
  redaction_engine_version: string;
  system_instructions: string;
  input_messages_json: string;
  output_messages_json: string;
  tool_calls_json: string;
  retrievals_json: string;
  /** The gateway's part of the record as JSON (0003), '' for events apps reported. */
  gateway_json: string;
  /** How the record came in (0004): event_api, gateway or otlp. */
  source: string;
  /** The guardrail decisions of the call as JSON (0004), '[]' when none fired. */
  guardrails_json: string;
  received_at_ms: number;
}

/** The columns the writer names in its INSERT, in table order. */
export const INVOCATION_ROW_COLUMNS = [
  'event_id',
  'tenant_id',
  'app_id',
  'user_id',
  'agent_id',
  'agent_name',
  'agent_version',
  'conversation_id',
  'trace_id',
  'span_id',
  'parent_span_id',
  'operation',
  'provider_name',
  'request_model',
  'response_model',
  'response_id',
  'endpoint_host',
  'endpoint_kind',
  'request_temperature',
  'request_top_p',
  'request_max_tokens',
  'request_stream',
  'input_tokens',
  'output_tokens',
  'cached_input_tokens',
  'reasoning_tokens',
  'cache_creation_input_tokens',
  'finish_reasons',
  'start_time',
  'start_time_ms',
  'duration_ms',
  'time_to_first_token_ms',
  'status',
  'error_type',
  'error_message',
  'labels.key',
  'labels.value',
  'pii_finding_count',
  'pii_types',
  'redaction_engine_version',
  'system_instructions',
  'input_messages_json',
  'output_messages_json',
  'tool_calls_json',
  'retrievals_json',
  'gateway_json',
  'source',
  'guardrails_json',
  'received_at_ms',
] as const satisfies ReadonlyArray<keyof InvocationRow>;

/** The last second a `DateTime` can hold (2106-02-07 06:28:15 UTC), in milliseconds. */
const MAX_DATETIME_MS = 4_294_967_295_999;
const MAX_UINT32 = 4_294_967_295;

/**
 * Maps a redacted invocation to its row. Pure; throws
 * {@link InvalidInvocationError} (listing every problem) when the invocation
 * cannot be stored faithfully: not redacted (`redaction` null: raw text must
 * never reach ClickHouse), a start time outside what `DateTime` holds, or
 * negative / fractional counts and durations.
 *
 * Absent optional strings become '' (the table has no Nullable strings). Labels
 * are sorted by key and PII types de-duplicated and sorted, so every copy of an
 * event yields the same row. Request parameters that a column cannot hold (a
 * negative max_tokens, a non-finite temperature) are stored as NULL rather than
 * rejecting the invocation: they describe the request, not the usage.
 */
export function toInvocationRow(inv: Invocation): InvocationRow {
  const problems: string[] = [];
  const eventId = typeof inv.event_id === 'string' ? inv.event_id : '';
  if (!eventId) problems.push('event_id is empty');
  if (!inv.tenant_id) problems.push('tenant_id is empty');
  const redaction = inv.redaction;
  if (!redaction) {
    problems.push('redaction is null: only redacted invocations may be stored');
  }
  const startMs = inv.start_time_ms;
  const startValid = Number.isSafeInteger(startMs) && startMs >= 0 && startMs <= MAX_DATETIME_MS;
  if (!startValid) {
    problems.push(
      `start_time_ms ${String(startMs)} is outside 1970-01-01..2106-02-07 (epoch milliseconds)`,
    );
  }
  const count = (name: string, value: number): number => {
    if (!Number.isSafeInteger(value) || value < 0) {
      problems.push(`${name} must be a non-negative integer (got ${String(value)})`);
    }
    return value;
  };
  const optionalCount = (name: string, value: number | null): number | null =>
    value === null ? null : count(name, value);

  const row: InvocationRow = {
    event_id: eventId,
    tenant_id: inv.tenant_id,
    app_id: inv.app_id,
    user_id: inv.user_id ?? '',
    agent_id: inv.agent_id ?? '',
    agent_name: inv.agent_name ?? '',
    agent_version: inv.agent_version ?? '',
    conversation_id: inv.conversation_id ?? '',
    trace_id: inv.trace_id,
    span_id: inv.span_id ?? '',
    parent_span_id: inv.parent_span_id ?? '',
    operation: inv.operation,
    provider_name: inv.provider_name,
    request_model: inv.request_model,
    response_model: inv.response_model ?? '',
    response_id: inv.response_id ?? '',
    endpoint_host: inv.endpoint.host ?? '',
    endpoint_kind: inv.endpoint.kind,
    request_temperature: finiteOrNull(inv.request.temperature),
    request_top_p: finiteOrNull(inv.request.top_p),
    request_max_tokens: unsignedOrNull(inv.request.max_tokens),
    request_stream: inv.request.stream ? 1 : 0,
    input_tokens: count('usage.input_tokens', inv.usage.input_tokens),
    output_tokens: count('usage.output_tokens', inv.usage.output_tokens),
    cached_input_tokens: count('usage.cached_input_tokens', inv.usage.cached_input_tokens),
    reasoning_tokens: count('usage.reasoning_tokens', inv.usage.reasoning_tokens),
    cache_creation_input_tokens: count(
      'usage.cache_creation_input_tokens',
      inv.usage.cache_creation_input_tokens,
    ),
    finish_reasons: [...inv.finish_reasons],
    start_time: startValid ? formatDateTime(Math.floor(startMs / 1000) * 1000) : '',
    start_time_ms: startMs,
    duration_ms: optionalCount('duration_ms', inv.duration_ms),
    time_to_first_token_ms: optionalCount('time_to_first_token_ms', inv.time_to_first_token_ms),
    status: inv.status,
    error_type: inv.error_type ?? '',
    error_message: inv.error_message ?? '',
    ...labelColumns(inv.labels),
    pii_finding_count: redaction ? count('redaction.finding_count', redaction.finding_count) : 0,
    pii_types: redaction ? [...new Set(redaction.types)].sort() : [],
    redaction_engine_version: redaction?.engine_version ?? '',
    system_instructions: inv.system_instructions ?? '',
    input_messages_json: JSON.stringify(inv.input_messages),
    output_messages_json: JSON.stringify(inv.output_messages),
    tool_calls_json: JSON.stringify(inv.tool_calls),
    retrievals_json: JSON.stringify(inv.retrievals),
    gateway_json: inv.gateway ? JSON.stringify(inv.gateway) : '',
    source: inv.source,
    guardrails_json: JSON.stringify(inv.guardrails),
    received_at_ms: count('received_at_ms', inv.received_at_ms),
  };
  if (redaction && row.pii_finding_count > MAX_UINT32) {
    problems.push(`redaction.finding_count ${redaction.finding_count} does not fit UInt32`);
  }
  if (problems.length > 0) throw new InvalidInvocationError(eventId, problems);
  return row;
}

function labelColumns(
  labels: Record<string, string>,
): Pick<InvocationRow, 'labels.key' | 'labels.value'> {
  const entries = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    'labels.key': entries.map(([k]) => k),
    'labels.value': entries.map(([, v]) => v),
  };
}

function finiteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}

function unsignedOrNull(value: number | null): number | null {
  return value !== null && Number.isSafeInteger(value) && value >= 0 ? value : null;
}
