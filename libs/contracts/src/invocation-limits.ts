import type { FieldError } from './errors';
import type { Invocation } from './generated/schemas';

const DAY_MS = 86_400_000;

/**
 * What an invocation event may hold, beyond what its Avro schema says. The
 * ingress refuses an event outside these bounds with a 400 that names the
 * field and the limit; the gateway builds its records within them. Content
 * (prompts, responses, tool arguments and results, documents) has no limit of
 * its own here: the size of the whole record is bounded by `RECORD_LIMITS`.
 * Lengths count UTF-16 code units (JavaScript string length).
 */
export const INVOCATION_LIMITS = {
  /** app_id: letters, digits and `. _ : -`. */
  idMaxChars: 128,
  /** user_id, agent_id, agent_name, conversation_id, response_id, message name and tool_call_id, tool call id, document_id. */
  refMaxChars: 256,
  providerNameMaxChars: 64,
  /** request_model, response_model. */
  modelMaxChars: 256,
  /** endpoint.host (a DNS name is at most 253 characters). */
  hostMaxChars: 255,
  errorTypeMaxChars: 128,
  errorMessageMaxChars: 4_096,
  roleMaxChars: 32,
  toolNameMaxChars: 128,
  /** retrievals[].source, often a URL. */
  sourceMaxChars: 2_048,
  /** Per list: input_messages and output_messages each. */
  maxMessages: 1_000,
  maxToolCalls: 256,
  maxRetrievals: 256,
  maxFinishReasons: 16,
  finishReasonMaxChars: 64,
  maxLabels: 64,
  /** gateway.attempts: every try of one gateway call. */
  maxGatewayAttempts: 16,
  labelKeyMaxChars: 128,
  labelValueMaxChars: 1_024,
  /** Each usage count, and request.max_tokens. */
  maxTokens: 100_000_000,
  /** duration_ms and time_to_first_token_ms. */
  maxDurationMs: 7 * DAY_MS,
  /** start_time_ms: epoch milliseconds from 2000-01-01 ... */
  earliestStartMs: Date.UTC(2000, 0, 1),
  /** ... up to this far ahead of the ingress clock. */
  maxClockSkewMs: DAY_MS,
  maxTemperature: 2,
  maxTopP: 1,
} as const;

/** The formats of ids and keys, with the words the error messages use for them. */
export const INVOCATION_PATTERNS = {
  /** RFC 9562 text form, lowercase (the ingress lowercases what it receives). */
  eventId: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  appId: /^[A-Za-z0-9._:-]+$/,
  /** W3C Trace Context: lowercase hex, not all zeros. */
  traceId: /^(?!0{32})[0-9a-f]{32}$/,
  spanId: /^(?!0{16})[0-9a-f]{16}$/,
  /** Starts with a letter or digit, then letters, digits and `. _ : / -`. */
  labelKey: /^[A-Za-z0-9][A-Za-z0-9._:/-]*$/,
  role: /^[A-Za-z0-9._-]+$/,
} as const;

const L = INVOCATION_LIMITS;
const NIL_UUID = '00000000-0000-0000-0000-000000000000';
const MAX_UUID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';
/** With the `u` flag a surrogate pair is one code point, so this finds only unpaired halves. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

export interface LimitCheckOptions {
  /**
   * The caller has proved that no string of the record holds a NUL or an unpaired surrogate,
   * so the walk over every string is skipped. The ingress knows it of a body that is valid
   * UTF-8 and has no `\u` escape: JSON forbids raw control characters in strings, and UTF-8
   * cannot spell an unpaired surrogate, so only an escape can bring either in.
   * @default false
   */
  textKnownWellFormed?: boolean;
}

/**
 * Every way `v` (a record that already matches the schema) breaks
 * `INVOCATION_LIMITS`, the id formats, or well-formed text. `now` is the
 * receiving clock, epoch milliseconds.
 */
export function invocationLimitErrors(
  v: Invocation,
  now: number,
  opts: LimitCheckOptions = {},
): FieldError[] {
  const out: FieldError[] = [];
  const check = (ok: boolean, path: string, message: string) => {
    if (!ok) out.push({ path, message });
  };
  const chars = (s: string | null, path: string, max: number, min = 1) => {
    if (s !== null && (s.length < min || s.length > max))
      out.push({ path, message: `must be ${min}-${max} characters` });
  };
  const count = (list: unknown[], path: string, max: number, what: string) =>
    check(list.length <= max, path, `must hold at most ${max} ${what} (has ${list.length})`);

  check(
    INVOCATION_PATTERNS.eventId.test(v.event_id) &&
      v.event_id !== NIL_UUID &&
      v.event_id !== MAX_UUID,
    'event_id',
    'must be a UUID in its 36-character text form, e.g. 0b7c3f2e-1a43-4c52-9f1d-2d1f2e3a4b5c (not the nil or max UUID)',
  );
  check(
    INVOCATION_PATTERNS.appId.test(v.app_id) && v.app_id.length <= L.idMaxChars,
    'app_id',
    `must be 1-${L.idMaxChars} characters of letters, digits, . _ : -`,
  );
  check(
    INVOCATION_PATTERNS.traceId.test(v.trace_id),
    'trace_id',
    'must be a W3C trace id: 32 lowercase hex digits, not all zero',
  );
  for (const f of ['span_id', 'parent_span_id'] as const) {
    const id = v[f];
    if (id !== null)
      check(
        INVOCATION_PATTERNS.spanId.test(id),
        f,
        'must be a W3C span id: 16 lowercase hex digits, not all zero',
      );
  }
  for (const f of [
    'user_id',
    'agent_id',
    'agent_name',
    'agent_version',
    'delegated_agent_id',
    'delegated_agent_name',
    'conversation_id',
    'response_id',
  ] as const)
    chars(v[f], f, L.refMaxChars);
  chars(v.provider_name, 'provider_name', L.providerNameMaxChars);
  chars(v.request_model, 'request_model', L.modelMaxChars);
  chars(v.response_model, 'response_model', L.modelMaxChars);
  chars(v.endpoint.host, 'endpoint.host', L.hostMaxChars);
  chars(v.error_type, 'error_type', L.errorTypeMaxChars);
  chars(v.error_message, 'error_message', L.errorMessageMaxChars, 0);

  for (const list of ['input_messages', 'output_messages'] as const) {
    count(v[list], list, L.maxMessages, 'messages');
    v[list].slice(0, L.maxMessages).forEach((m, i) => {
      const at = `${list}[${i}]`;
      check(
        INVOCATION_PATTERNS.role.test(m.role) && m.role.length <= L.roleMaxChars,
        `${at}.role`,
        `must be 1-${L.roleMaxChars} characters of letters, digits, . _ - (system, user, assistant, tool, ...)`,
      );
      chars(m.name, `${at}.name`, L.refMaxChars);
      chars(m.tool_call_id, `${at}.tool_call_id`, L.refMaxChars);
    });
  }
  count(v.tool_calls, 'tool_calls', L.maxToolCalls, 'tool calls');
  v.tool_calls.slice(0, L.maxToolCalls).forEach((t, i) => {
    chars(t.id, `tool_calls[${i}].id`, L.refMaxChars);
    chars(t.name, `tool_calls[${i}].name`, L.toolNameMaxChars);
    chars(t.type, `tool_calls[${i}].type`, L.toolNameMaxChars);
    if (t.duration_ms !== null)
      check(
        t.duration_ms >= 0 && t.duration_ms <= L.maxDurationMs,
        `tool_calls[${i}].duration_ms`,
        `must be between 0 and ${L.maxDurationMs} ms`,
      );
  });
  count(v.retrievals, 'retrievals', L.maxRetrievals, 'documents');
  v.retrievals.slice(0, L.maxRetrievals).forEach((d, i) => {
    chars(d.source, `retrievals[${i}].source`, L.sourceMaxChars);
    chars(d.document_id, `retrievals[${i}].document_id`, L.refMaxChars);
    chars(d.data_source_id, `retrievals[${i}].data_source_id`, L.refMaxChars);
  });
  if (v.gateway) gatewayErrors(v.gateway, chars, count);
  count(v.finish_reasons, 'finish_reasons', L.maxFinishReasons, 'finish reasons');
  v.finish_reasons
    .slice(0, L.maxFinishReasons)
    .forEach((r, i) => chars(r, `finish_reasons[${i}]`, L.finishReasonMaxChars));

  const labels = Object.entries(v.labels);
  count(labels, 'labels', L.maxLabels, 'labels');
  labels.slice(0, L.maxLabels).forEach(([key, value], i) => {
    if (!isLabelKey(key)) {
      out.push({
        path: labelPath(key, i),
        message: `has a key of ${key.length} characters that is not 1-${L.labelKeyMaxChars} characters of letters, digits, . _ : / - starting with a letter or digit`,
      });
    }
    check(
      value.length <= L.labelValueMaxChars,
      labelPath(key, i),
      `must be at most ${L.labelValueMaxChars} characters (has ${value.length})`,
    );
  });

  numberErrors(v, now, check);
  // Almost every record is clean text: find that out without spelling any path.
  if (!opts.textKnownWellFormed && hasBadText(v)) textErrors(v, '', out);
  return out;
}

function numberErrors(
  v: Invocation,
  now: number,
  check: (ok: boolean, path: string, message: string) => void,
): void {
  for (const [name, n] of Object.entries(v.usage)) {
    check(
      n >= 0 && n <= L.maxTokens,
      `usage.${name}`,
      `must be between 0 and ${L.maxTokens} (got ${n})`,
    );
  }
  check(
    v.usage.cached_input_tokens <= v.usage.input_tokens,
    'usage.cached_input_tokens',
    'cannot exceed usage.input_tokens (input_tokens includes cached tokens)',
  );
  check(
    v.usage.cache_creation_input_tokens === 0 ||
      v.usage.cached_input_tokens + v.usage.cache_creation_input_tokens <= v.usage.input_tokens,
    'usage.cache_creation_input_tokens',
    'cannot exceed usage.input_tokens less usage.cached_input_tokens (input_tokens includes both cache reads and writes)',
  );
  check(
    v.usage.reasoning_tokens <= v.usage.output_tokens,
    'usage.reasoning_tokens',
    'cannot exceed usage.output_tokens (output_tokens includes reasoning tokens)',
  );
  const { temperature, top_p, max_tokens } = v.request;
  if (temperature !== null)
    check(
      temperature >= 0 && temperature <= L.maxTemperature,
      'request.temperature',
      `must be between 0 and ${L.maxTemperature}`,
    );
  if (top_p !== null)
    check(top_p >= 0 && top_p <= L.maxTopP, 'request.top_p', `must be between 0 and ${L.maxTopP}`);
  if (max_tokens !== null)
    check(
      max_tokens >= 0 && max_tokens <= L.maxTokens,
      'request.max_tokens',
      `must be between 0 and ${L.maxTokens}`,
    );
  check(
    v.start_time_ms >= L.earliestStartMs && v.start_time_ms <= now + L.maxClockSkewMs,
    'start_time_ms',
    'must be epoch milliseconds between 2000-01-01 and one day from now',
  );
  for (const f of ['duration_ms', 'time_to_first_token_ms'] as const) {
    const d = v[f];
    if (d !== null)
      check(d >= 0 && d <= L.maxDurationMs, f, `must be between 0 and ${L.maxDurationMs} ms`);
  }
  if (v.duration_ms !== null && v.time_to_first_token_ms !== null)
    check(
      v.time_to_first_token_ms <= v.duration_ms,
      'time_to_first_token_ms',
      'cannot exceed duration_ms',
    );
  if (v.status === 'ok')
    check(v.error_type === null, 'error_type', "must be absent when status is 'ok'");
}

function gatewayErrors(
  g: NonNullable<Invocation['gateway']>,
  chars: (s: string | null, path: string, max: number, min?: number) => void,
  count: (list: unknown[], path: string, max: number, what: string) => void,
): void {
  chars(g.route, 'gateway.route', L.modelMaxChars);
  chars(g.upstream, 'gateway.upstream', L.idMaxChars);
  chars(g.upstream_model, 'gateway.upstream_model', L.modelMaxChars);
  count(g.attempts, 'gateway.attempts', L.maxGatewayAttempts, 'attempts');
  g.attempts.slice(0, L.maxGatewayAttempts).forEach((a, i) => {
    chars(a.upstream, `gateway.attempts[${i}].upstream`, L.idMaxChars);
    chars(a.model, `gateway.attempts[${i}].model`, L.modelMaxChars);
    chars(a.outcome, `gateway.attempts[${i}].outcome`, L.errorTypeMaxChars);
  });
}

/**
 * Avro strings are UTF-8: an unpaired surrogate (a `\ud83d` escape without
 * its other half, e.g. from text cut inside an emoji) cannot be written and
 * would otherwise be replaced silently. NUL breaks the C-string tools on the
 * SIEM side. Both are refused rather than altered, so that what was accepted is
 * exactly what the client sent.
 */
function textErrors(value: unknown, path: string, out: FieldError[]): void {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    if (problem) out.push({ path, message: problem });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => textErrors(item, `${path}[${i}]`, out));
  } else if (typeof value === 'object' && value !== null) {
    const labels = path === 'labels';
    Object.entries(value).forEach(([k, v], i) =>
      textErrors(v, labels ? labelPath(k, i) : path ? `${path}.${k}` : k, out),
    );
  }
}

/** NUL, or a UTF-16 surrogate without its other half (with `u`, a pair is one code point). */
const BAD_TEXT = /[\u0000\uD800-\uDFFF]/u;

/** Whether any string value anywhere in `value` is one textErrors would refuse. */
function hasBadText(value: unknown): boolean {
  if (typeof value === 'string') return BAD_TEXT.test(value);
  if (Array.isArray(value)) {
    for (const item of value) if (hasBadText(item)) return true;
    return false;
  }
  if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>;
    for (const k in o) if (hasBadText(o[k])) return true;
  }
  return false;
}

/** Why `s` cannot be stored as text, or undefined when it can. */
export function textProblem(s: string): string | undefined {
  const nul = s.indexOf('\u0000');
  if (nul >= 0) return `contains a NUL character (U+0000) at character ${nul}; remove it`;
  const lone = LONE_SURROGATE.exec(s);
  if (lone)
    return `contains an unpaired UTF-16 surrogate at character ${lone.index}; text must be valid Unicode (it is stored as UTF-8)`;
  return undefined;
}

function isLabelKey(key: string): boolean {
  return key.length <= L.labelKeyMaxChars && INVOCATION_PATTERNS.labelKey.test(key);
}

/** A label's path names its key only when the key is well-formed: a path never echoes arbitrary text. */
function labelPath(key: string, index: number): string {
  return isLabelKey(key) ? `labels.${key}` : `labels[#${index}]`;
}
