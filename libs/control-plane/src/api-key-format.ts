import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Scope } from '@llmops/contracts';

/** `llm_<key id>_<secret>`: the id is public (logs, lists); only the whole key authenticates. */
const KEY_PATTERN = /^llm_([a-z0-9]{16})_([A-Za-z0-9_-]{43})$/;

export const ALL_SCOPES: readonly Scope[] = ['ingest', 'gateway', 'query', 'admin'];

export interface NewKey {
  keyId: string;
  key: string;
  secretSha256: string;
}

/** Makes a new random key (256-bit secret). */
export function generateApiKey(): NewKey {
  const keyId = randomBytes(10).toString('hex').slice(0, 16);
  const key = `llm_${keyId}_${randomBytes(32).toString('base64url')}`;
  return { keyId, key, secretSha256: sha256(key) };
}

/** The key id of a well-formed key, or undefined. */
export function parseKeyId(key: string): string | undefined {
  return KEY_PATTERN.exec(key)?.[1];
}

export function sha256(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Constant-time comparison of a presented key with a stored hash. */
export function keyMatches(key: string, storedSha256: string): boolean {
  const a = Buffer.from(sha256(key), 'hex');
  const b = Buffer.from(storedSha256, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Parses `ingest,query` into scopes, with an error naming the bad one. */
export function parseScopes(list: string): Scope[] {
  const scopes = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (scopes.length === 0)
    throw new Error(`no scopes given; use a comma-separated list of ${ALL_SCOPES.join(', ')}`);
  for (const s of scopes) {
    if (!ALL_SCOPES.includes(s as Scope)) {
      throw new Error(`unknown scope '${s}'; scopes are ${ALL_SCOPES.join(', ')}`);
    }
  }
  return [...new Set(scopes)] as Scope[];
}
