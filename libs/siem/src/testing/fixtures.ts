// Test helper: the golden-test inputs and the vendored OCSF schema.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { securityEventCodec, type SecurityEvent } from '@llmops/contracts';
import { OCSF_SCHEMA_VERSION } from '../constants';
import { OcsfSchema } from './ocsf-validator';

export const FIXTURES_DIR = path.join(__dirname, '..', '..', 'test-fixtures');
export const EVENTS_DIR = path.join(FIXTURES_DIR, 'events');
export const GOLDEN_DIR = path.join(FIXTURES_DIR, 'golden');

export interface Fixture {
  /** File name without `.json`, e.g. `guardrail-violation`. */
  name: string;
  /** The input line as the CLI reads it. */
  json: unknown;
  event: SecurityEvent;
}

/** Every input of `test-fixtures/events/`, validated and defaulted by the contract codec. */
export function loadFixtures(): Fixture[] {
  return fs
    .readdirSync(EVENTS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const json: unknown = JSON.parse(fs.readFileSync(path.join(EVENTS_DIR, f), 'utf8'));
      return { name: f.slice(0, -'.json'.length), json, event: securityEventCodec.fromJson(json) };
    });
}

export function fixture(name: string): SecurityEvent {
  const found = loadFixtures().find((f) => f.name === name);
  if (!found) throw new Error(`no fixture ${name}`);
  return found.event;
}

let schema: OcsfSchema | undefined;

/** The OCSF schema the records claim to follow, from the trimmed copy under test-fixtures. */
export function ocsfSchema(): OcsfSchema {
  schema ??= new OcsfSchema(path.join(FIXTURES_DIR, `ocsf-schema-${OCSF_SCHEMA_VERSION}`));
  return schema;
}

/** An event with every string field set to `value` (for poison and injection tests). */
export function eventWithEveryString(
  value: string,
  base: SecurityEvent = fixture('guardrail-violation'),
): SecurityEvent {
  const set = (v: unknown): unknown => {
    if (typeof v === 'string') return value;
    if (Array.isArray(v)) return v.map(set);
    if (v !== null && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, set(x)]));
    return v;
  };
  const e = structuredClone(base);
  const keepEnums = { category: e.category, severity: e.severity, outcome: e.outcome };
  const out = set(e) as SecurityEvent;
  // Enum values stay valid: the contract codec would reject anything else.
  out.target.endpoint_kind = base.target.endpoint_kind;
  if (out.auth && base.auth) out.auth.reason = base.auth.reason;
  if (out.budget && base.budget) out.budget.unit = base.budget.unit;
  if (out.sensitive_data && base.sensitive_data)
    out.sensitive_data.classes = base.sensitive_data.classes;
  return { ...out, ...keepEnums };
}
