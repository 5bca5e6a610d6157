import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiKeyStore } from '@llmops/control-plane';
import type { CliContext } from '../context';

/** A development-only HMAC key, generated once and kept in the ignored cache folder. */
export function devHmacKey(ctx: CliContext): string {
  if (ctx.config.PII_HMAC_KEY) return ctx.config.PII_HMAC_KEY;
  const file = path.join(ctx.repoRoot, '.cache', 'dev-pii-hmac-key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return fs.readFileSync(file, 'utf8').trim();
}

const DEV_SCOPES = ['ingest', 'gateway', 'query', 'admin'] as const;

/**
 * An API key for tenant `dev` (every scope: ingest, gateway, query, admin) so a first
 * `npm start` can send an event or call a model through the gateway at once; kept in
 * `.cache/dev-api-key`. A kept key that lacks a scope (made by an older version) is replaced.
 */
export async function ensureDevKey(ctx: CliContext): Promise<string> {
  const file = path.join(ctx.repoRoot, '.cache', 'dev-api-key');
  const store = new ApiKeyStore(ctx.kafka(), ctx.logger, ctx.topics.controlApiKeys);
  try {
    await store.start();
    const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : '';
    const check = existing ? store.check(existing) : undefined;
    if (check?.ok && DEV_SCOPES.every((s) => check.key.scopes.includes(s))) return existing;
    const { key } = await store.create({
      tenant: 'dev',
      scopes: [...DEV_SCOPES],
      name: 'created by npm start',
    });
    fs.writeFileSync(file, key, { mode: 0o600 });
    return key;
  } finally {
    await store.stop();
  }
}
