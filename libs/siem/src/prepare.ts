import {
  SecurityAuthFailureReasonSymbols,
  SecurityBudgetUnitSymbols,
  SecurityEventCategorySymbols,
  SecurityOutcomeSymbols,
  SecuritySeveritySymbols,
  type SecurityEvent,
} from '@llmops/contracts';
import { SiemFormatError } from './errors';

/**
 * Bounds applied to every string and list of an event before it is
 * formatted, so that a poison event (a megabyte user id, ten thousand
 * finding ids) yields a record of bounded size in every format.
 */
export const FIELD_LIMITS = {
  /** Characters (UTF-16 code units) of most strings. */
  string: 256,
  /** Characters of the free-text-like strings (`user_agent`, `http_path`). */
  text: 1024,
  /** Items of every list. */
  listItems: 16,
} as const;

const TEXT_FIELDS = new Set(['user_agent', 'http_path']);

/** Latest time every format can write: 9999-12-31T23:59:59.999Z (RFC 3339 has four-digit years). */
const MAX_TIME_MS = 253_402_300_799_999;

/** An event ready for formatting: bounded, with well-formed strings. */
export interface PreparedEvent {
  event: SecurityEvent;
  /** True when a string or list was cut to its limit. */
  truncated: boolean;
}

/**
 * Checks what the formats cannot represent (throws `SiemFormatError`), cuts
 * strings and lists to `FIELD_LIMITS` and replaces lone UTF-16 surrogates
 * with U+FFFD, so every format writes valid UTF-8.
 */
export function prepareEvent(event: SecurityEvent): PreparedEvent {
  checkRepresentable(event);
  const state = { truncated: false };
  const bounded = boundValue(event, '', state) as SecurityEvent;
  return { event: bounded, truncated: state.truncated };
}

function checkRepresentable(e: SecurityEvent): void {
  if (!Number.isInteger(e.time_ms) || e.time_ms < 0 || e.time_ms > MAX_TIME_MS) {
    throw new SiemFormatError(
      `time_ms must be an integer from 0 to ${MAX_TIME_MS} (1970 to 9999), got ${String(e.time_ms)}`,
    );
  }
  checkSymbol('category', e.category, SecurityEventCategorySymbols);
  checkSymbol('severity', e.severity, SecuritySeveritySymbols);
  checkSymbol('outcome', e.outcome, SecurityOutcomeSymbols);
  if (e.auth) checkSymbol('auth.reason', e.auth.reason, SecurityAuthFailureReasonSymbols);
  if (e.budget) {
    checkSymbol('budget.unit', e.budget.unit, SecurityBudgetUnitSymbols);
    checkFinite('budget.limit', e.budget.limit);
    checkFinite('budget.observed', e.budget.observed);
  }
  if (e.sensitive_data) {
    if (!Number.isInteger(e.sensitive_data.finding_count)) {
      throw new SiemFormatError('sensitive_data.finding_count must be an integer');
    }
    if (e.sensitive_data.max_confidence !== null) {
      checkFinite('sensitive_data.max_confidence', e.sensitive_data.max_confidence);
    }
  }
}

function checkSymbol(path: string, value: string, symbols: readonly string[]): void {
  if (!symbols.includes(value)) {
    throw new SiemFormatError(`${path} must be one of ${symbols.join(', ')}`);
  }
}

function checkFinite(path: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new SiemFormatError(`${path} must be a finite number`);
  }
}

function boundValue(value: unknown, key: string, state: { truncated: boolean }): unknown {
  if (typeof value === 'string') {
    return clip(value, TEXT_FIELDS.has(key) ? FIELD_LIMITS.text : FIELD_LIMITS.string, state);
  }
  if (Array.isArray(value)) {
    if (value.length > FIELD_LIMITS.listItems) state.truncated = true;
    return value.slice(0, FIELD_LIMITS.listItems).map((item) => boundValue(item, key, state));
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, boundValue(v, k, state)]));
  }
  return value;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Cuts to `max` UTF-16 code units (ending in `…`), never inside a surrogate pair. */
function clip(s: string, max: number, state: { truncated: boolean }): string {
  let out = s;
  if (out.length > max) {
    state.truncated = true;
    let end = max - 1;
    const last = out.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff) end -= 1;
    out = `${out.slice(0, end)}…`;
  }
  return out.replace(LONE_SURROGATE, '\uFFFD');
}
