import { createHmac } from 'node:crypto';
import { PiiConfigError } from '../errors';
import type { PiiType } from '../types';

/** Key material for {@link valueHash}: a secret per deployment, never logged. */
export type HmacKey = string | Buffer;

/** Throws PiiConfigError unless `key` is a non-empty string or Buffer. */
export function assertHmacKey(key: unknown, name = 'hmacKey'): asserts key is HmacKey {
  const ok = (typeof key === 'string' || Buffer.isBuffer(key)) && key.length > 0;
  if (!ok) throw new PiiConfigError(`${name} must be a non-empty string or Buffer`);
}

/**
 * Hex HMAC-SHA256 of `tenant`, a NUL separator and `value` under `hmacKey`. The same value
 * gives the same hash within a tenant and a different one across tenants; without the key
 * it cannot be reversed or brute-forced.
 */
export function valueHash(hmacKey: HmacKey, tenant: string, value: string): string {
  return createHmac('sha256', hmacKey)
    .update(tenant, 'utf8')
    .update('\u0000')
    .update(value, 'utf8')
    .digest('hex');
}

const COMPACT: ReadonlySet<PiiType> = new Set<PiiType>([
  'PHONE',
  'CREDIT_CARD',
  'IBAN',
  'US_SSN',
  'UK_NHS',
  'ES_NIF',
  'BR_CPF',
  'IN_AADHAAR',
  'FR_NIR',
  'MAC_ADDRESS',
]);

/**
 * The form of a value that identifies it: e-mail addresses lower-cased; numbers and codes
 * without spaces, dashes or dots and upper-cased; everything else as written. Hashes and
 * placeholder numbers are computed on this, so `4111 1111 1111 1111` and `4111111111111111`
 * are the same card.
 */
export function canonicalValue(type: PiiType, value: string): string {
  if (type === 'EMAIL') return value.toLowerCase();
  if (COMPACT.has(type)) return value.replace(/[^0-9A-Za-z+]/g, '').toUpperCase();
  return value;
}
