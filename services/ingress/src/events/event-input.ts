import { randomBytes, randomUUID } from 'node:crypto';
import {
  ContractValidationError,
  invocationCodec,
  type FieldError,
  type Invocation,
} from '@llmops/contracts';

/** Fields the ingress sets itself; a client may not send them (tenant_id only if it matches its key). */
const SERVER_FIELDS = ['received_at_ms', 'redaction'] as const;

/** Upper bound of a plausible token count in one invocation. */
export const MAX_TOKENS = 100_000_000;
const MAX_DURATION_MS = 7 * 86_400_000;
const ID = /^[A-Za-z0-9._:-]{1,128}$/;
const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const EARLIEST_MS = Date.UTC(2000, 0, 1);

/**
 * Turns one JSON event into a complete invocation record for `tenant`, or
 * collects every problem with its path (prefixed by `prefix`, e.g. `events[3]`).
 */
export function toInvocation(
  input: unknown,
  tenant: string,
  now: number,
  prefix: string,
  errors: FieldError[],
): Invocation | undefined {
  const at = (p: string) => (prefix ? (p ? `${prefix}.${p}` : prefix) : p);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    errors.push({ path: at(''), message: 'must be a JSON object (an invocation event)' });
    return undefined;
  }
  const body = { ...(input as Record<string, unknown>) };
  const own: FieldError[] = [];
  for (const f of SERVER_FIELDS) {
    if (f in body) own.push({ path: f, message: 'is set by the platform; remove it' });
    delete body[f];
  }
  if ('tenant_id' in body && body.tenant_id !== tenant) {
    own.push({
      path: 'tenant_id',
      message: 'does not match the tenant of the API key; omit it (the key decides the tenant)',
    });
  }
  body.tenant_id = tenant;
  body.event_id ??= randomUUID();
  body.trace_id ??= randomBytes(16).toString('hex');
  body.received_at_ms = now;

  let value: Invocation | undefined;
  try {
    value = invocationCodec.fromJson(body);
  } catch (err) {
    if (!(err instanceof ContractValidationError)) throw err;
    own.push(...err.errors);
  }
  if (value) own.push(...semanticErrors(value, now));
  errors.push(...own.map((e) => ({ path: at(e.path), message: e.message })));
  return own.length === 0 ? value : undefined;
}

/** Rules the Avro types cannot express. */
function semanticErrors(v: Invocation, now: number): FieldError[] {
  const out: FieldError[] = [];
  const check = (ok: boolean, path: string, message: string) => ok || out.push({ path, message });
  check(ID.test(v.event_id), 'event_id', 'must be 1-128 characters of letters, digits, . _ : -');
  check(ID.test(v.app_id), 'app_id', 'must be 1-128 characters of letters, digits, . _ : -');
  check(TRACE_ID.test(v.trace_id), 'trace_id', 'must be a W3C trace id: 32 lowercase hex digits');
  if (v.span_id !== null)
    check(SPAN_ID.test(v.span_id), 'span_id', 'must be a W3C span id: 16 lowercase hex digits');
  if (v.parent_span_id !== null)
    check(
      SPAN_ID.test(v.parent_span_id),
      'parent_span_id',
      'must be a W3C span id: 16 lowercase hex digits',
    );
  check(
    v.provider_name.length > 0 && v.provider_name.length <= 64,
    'provider_name',
    'must be 1-64 characters',
  );
  check(
    v.request_model.length > 0 && v.request_model.length <= 256,
    'request_model',
    'must be 1-256 characters',
  );
  for (const [name, n] of Object.entries(v.usage)) {
    check(
      n >= 0 && n <= MAX_TOKENS,
      `usage.${name}`,
      `must be between 0 and ${MAX_TOKENS} (got ${n})`,
    );
  }
  check(
    v.usage.cached_input_tokens <= v.usage.input_tokens,
    'usage.cached_input_tokens',
    'cannot exceed usage.input_tokens (input_tokens includes cached tokens)',
  );
  check(
    v.usage.reasoning_tokens <= v.usage.output_tokens,
    'usage.reasoning_tokens',
    'cannot exceed usage.output_tokens (output_tokens includes reasoning tokens)',
  );
  check(
    v.start_time_ms >= EARLIEST_MS && v.start_time_ms <= now + 86_400_000,
    'start_time_ms',
    'must be epoch milliseconds between 2000-01-01 and one day from now',
  );
  for (const f of ['duration_ms', 'time_to_first_token_ms'] as const) {
    const d = v[f];
    if (d !== null)
      check(d >= 0 && d <= MAX_DURATION_MS, f, `must be between 0 and ${MAX_DURATION_MS} ms`);
  }
  if (v.status === 'ok')
    check(v.error_type === null, 'error_type', "must be absent when status is 'ok'");
  return out;
}
