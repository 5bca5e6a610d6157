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

/**
 * An API key for tenant `dev` (scopes ingest, query, admin) so a first
 * `npm start` can send an event at once; kept in `.cache/dev-api-key`.
 */
export async function ensureDevKey(ctx: CliContext): Promise<string> {
  const file = path.join(ctx.repoRoot, '.cache', 'dev-api-key');
  const store = new ApiKeyStore(ctx.kafka(), ctx.logger, ctx.topics.controlApiKeys);
  try {
    await store.start();
    const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : '';
    if (existing && store.check(existing).ok) return existing;
    const { key } = await store.create({
      tenant: 'dev',
      scopes: ['ingest', 'query', 'admin'],
      name: 'created by npm start',
    });
    fs.writeFileSync(file, key, { mode: 0o600 });
    return key;
  } finally {
    await store.stop();
  }
}
