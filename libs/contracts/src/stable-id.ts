import { createHash } from 'node:crypto';

/**
 * Stable ids: the same parts always give the same id, so a redelivered
 * record yields records with the ids it had the first time, and every
 * downstream dedupe (ClickHouse rows, SIEM uids) holds. The parts are joined
 * with NUL, which no id, name or number contains, so `('a', 'bc')` and
 * `('ab', 'c')` differ.
 */
function digest(algorithm: 'sha1' | 'sha256', parts: ReadonlyArray<string | number>): Buffer {
  return createHash(algorithm).update(parts.join('\u0000')).digest();
}

/**
 * A name-based UUID (the version 5 layout over SHA-1): for event ids, which
 * the SIEM formats carry whole (36 characters fit CEF `externalId`).
 */
export function stableUuid(...parts: Array<string | number>): string {
  const h = digest('sha1', parts);
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** 32 hex characters (128 bits) of SHA-256: finding ids and the pii-scanner's exposure event ids. */
export function stableHexId(...parts: Array<string | number>): string {
  return digest('sha256', parts).toString('hex').slice(0, 32);
}
