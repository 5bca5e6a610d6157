import { randomUUID } from 'node:crypto';
import {
  ContractValidationError,
  INVOCATION_LIMITS,
  invocationCodec,
  invocationLimitErrors,
  type FieldError,
  type Invocation,
  type LimitCheckOptions,
} from '@llmops/contracts';

/**
 * Fields the platform sets itself (gateway: only the gateway, for calls it proxied; source: the
 * way the record came in; guardrails: the decisions of the gateway or the monitor); a client may
 * not send them (tenant_id only if it matches its key).
 */
const SERVER_FIELDS = ['received_at_ms', 'redaction', 'gateway', 'source', 'guardrails'] as const;

/** Upper bound of a plausible token count in one invocation. */
export const MAX_TOKENS = INVOCATION_LIMITS.maxTokens;
/** UUIDs are case-insensitive (RFC 9562): a retry in capitals is the same event. */
const ANY_CASE_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DASHES = /-/g;

/**
 * Turns one JSON event into a complete invocation record for `tenant`, or
 * collects every problem with its path (prefixed by `prefix`, e.g. `events[3]`).
 * Sets the ids and the receiving time on `input` itself: pass a value of
 * the caller's own (a parsed request body), not one shared with others.
 */
export function toInvocation(
  input: unknown,
  tenant: string,
  now: number,
  prefix: string,
  errors: FieldError[],
  checks: LimitCheckOptions = {},
): Invocation | undefined {
  const at = (p: string) => (prefix ? (p ? `${prefix}.${p}` : prefix) : p);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    errors.push({ path: at(''), message: 'must be a JSON object (an invocation event)' });
    return undefined;
  }
  // The parsed request body is this call's own: completed in place. A copy (or a delete) would
  // give each event its own hidden class and make every field read after it several times slower.
  const body = input as Record<string, unknown>;
  const own: FieldError[] = [];
  for (const f of SERVER_FIELDS) {
    // Refused outright, so what it held never travels.
    if (f in body) own.push({ path: f, message: 'is set by the platform; remove it' });
  }
  if ('tenant_id' in body && body.tenant_id !== tenant) {
    own.push({
      path: 'tenant_id',
      message: 'does not match the tenant of the API key; omit it (the key decides the tenant)',
    });
  }
  body.tenant_id = tenant;
  body.event_id ??= randomUUID();
  if (typeof body.event_id === 'string' && ANY_CASE_UUID.test(body.event_id))
    body.event_id = body.event_id.toLowerCase();
  // 122 random bits as 32 lowercase hex digits, a valid W3C trace id; randomUUID draws from
  // a cached entropy pool, where randomBytes(16) made a system call for every event.
  body.trace_id ??= randomUUID().replace(DASHES, '');
  body.received_at_ms = now;

  let value: Invocation | undefined;
  try {
    value = invocationCodec.fromJson(body, { inPlace: true });
  } catch (err) {
    if (!(err instanceof ContractValidationError)) throw err;
    own.push(...err.errors);
  }
  if (value) own.push(...invocationLimitErrors(value, now, checks));
  errors.push(...own.map((e) => ({ path: at(e.path), message: e.message })));
  return own.length === 0 ? value : undefined;
}
