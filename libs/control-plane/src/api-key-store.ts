import type { Kafka } from 'kafkajs';
import { apiKeyCodec, type ApiKey, type Scope } from '@llmops/contracts';
import type { Logger } from '@llmops/observability';
import { generateApiKey, keyMatches, parseKeyId } from './api-key-format';
import { CompactedTopic } from './compacted-topic';

export type KeyCheck =
  | { ok: true; key: ApiKey }
  | { ok: false; reason: 'malformed' | 'unknown' | 'revoked'; keyId?: string; tenant?: string };

/**
 * API keys on a compacted Kafka topic (see CompactedTopic): durable without
 * another database, rebuilt by every replica at start, followed live.
 * Lookups are in memory; only a SHA-256 of each key is stored.
 */
export class ApiKeyStore {
  private readonly keys = new Map<string, ApiKey>();
  private readonly state: CompactedTopic<ApiKey>;
  private readonly log: Logger;

  constructor(kafka: Kafka, logger: Logger, topic: string) {
    this.log = logger.child({ component: 'api-keys' });
    this.state = new CompactedTopic<ApiKey>({
      kafka,
      logger,
      topic,
      what: 'API keys',
      decode: (bytes) => apiKeyCodec.decode(bytes),
      encode: (record) => apiKeyCodec.encode(record),
      key: (record) => record.key_id,
      apply: (record) => this.keys.set(record.key_id, record),
    });
  }

  /** Reads the topic up to its current end, then keeps following it. */
  async start(timeoutMs = 30_000): Promise<void> {
    await this.state.start(timeoutMs);
    this.log.info({ keys: this.keys.size }, 'API keys loaded');
  }

  stop(): Promise<void> {
    return this.state.stop();
  }

  /** Checks a presented bearer key. */
  check(presented: string): KeyCheck {
    const keyId = parseKeyId(presented);
    if (!keyId) return { ok: false, reason: 'malformed' };
    const key = this.keys.get(keyId);
    if (!key) return { ok: false, reason: 'unknown', keyId };
    // The tenant of a real key id goes to the SOC (never to the caller): a wrong secret for it
    // is a guess at that tenant's key.
    if (!keyMatches(presented, key.secret_sha256)) {
      return { ok: false, reason: 'unknown', keyId, tenant: key.tenant_id };
    }
    if (key.revoked_at_ms !== null) {
      return { ok: false, reason: 'revoked', keyId, tenant: key.tenant_id };
    }
    return { ok: true, key };
  }

  list(tenant?: string): ApiKey[] {
    return [...this.keys.values()].filter((k) => !tenant || k.tenant_id === tenant);
  }

  /** Creates a key; the returned `key` is the only time the secret exists in clear. */
  async create(input: {
    tenant: string;
    scopes: Scope[];
    name?: string;
  }): Promise<{ key: string; record: ApiKey }> {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(input.tenant)) {
      throw new Error(`tenant '${input.tenant}' must be 1-64 letters, digits, '.', '_' or '-'`);
    }
    const fresh = generateApiKey();
    const record: ApiKey = {
      key_id: fresh.keyId,
      tenant_id: input.tenant,
      name: input.name ?? null,
      scopes: input.scopes,
      secret_sha256: fresh.secretSha256,
      created_at_ms: Date.now(),
      revoked_at_ms: null,
    };
    await this.write(record);
    return { key: fresh.key, record };
  }

  /** Marks a key revoked (kept on the topic for audit). Needs the current state: call `start` first. */
  async revoke(keyId: string): Promise<ApiKey> {
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`no API key with id '${keyId}'; \`llmops keys list\` shows the ids`);
    const revoked = { ...key, revoked_at_ms: key.revoked_at_ms ?? Date.now() };
    await this.write(revoked);
    return revoked;
  }

  private write(record: ApiKey): Promise<void> {
    return this.state.write(record);
  }
}
