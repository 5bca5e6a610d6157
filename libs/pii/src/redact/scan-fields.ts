import type { PiiEngine } from '../engine';
import type { Finding } from '../types';
import { assertHmacKey, canonicalValue, valueHash, type HmacKey } from './hash';
import type { Redactor } from './redactor';

/** One text field of an invocation, e.g. `messages[2].content`. */
export interface TextField {
  field: string;
  text: string;
}

/** A finding located in a field, with the keyed hash of its value instead of the value. */
export type FieldFinding = Finding & { field: string; valueHash: string };

/** Result of {@link scanFields}. */
export interface ScannedFields {
  /** The fields in input order; `text` is null for a dropped field. */
  fields: Array<{ field: string; text: string | null }>;
  findings: FieldFinding[];
}

/**
 * Scans and redacts every text field of one invocation. Pass one Redactor per invocation:
 * its placeholder numbering is shared by all fields, so `<EMAIL_1>` means the same address
 * in the prompt, the system message and the response. `valueHash` is
 * valueHash(key, tenant, canonicalValue(type, value)).
 */
export function scanFields(
  engine: PiiEngine,
  redactor: Redactor,
  fields: ReadonlyArray<TextField>,
  hmac: { key: HmacKey; tenant: string },
): ScannedFields {
  assertHmacKey(hmac.key, 'hmac.key');
  const out: ScannedFields = { fields: [], findings: [] };
  for (const { field, text } of fields) {
    const found = engine.scan(text);
    for (const f of found) {
      const hash = valueHash(
        hmac.key,
        hmac.tenant,
        canonicalValue(f.type, text.slice(f.start, f.end)),
      );
      out.findings.push({ ...f, field, valueHash: hash });
    }
    out.fields.push({ field, text: redactor.apply(text, found).text });
  }
  return out;
}
