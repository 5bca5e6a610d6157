import { randomUUID } from 'node:crypto';
import { Partitioners, type Consumer, type Kafka, type Producer } from 'kafkajs';
import { apiKeyCodec, type ApiKey, type Scope } from '@llmops/contracts';
import { retryTransient } from '@llmops/kafka';
import type { Logger } from '@llmops/observability';
import { generateApiKey, keyMatches, parseKeyId } from './api-key-format';

export type KeyCheck =
  | { ok: true; key: ApiKey }
  | { ok: false; reason: 'malformed' | 'unknown' | 'revoked'; keyId?: string };

/**
 * API keys on a compacted Kafka topic, the way Kafka Connect keeps its
 * configuration: durable without another database, and every replica
 * rebuilds the current state by reading the topic from the start, then
 * follows changes live. Lookups are in memory.
 */
export class ApiKeyStore {
  private readonly keys = new Map<string, ApiKey>();
  private consumer?: Consumer;
  private producer?: Producer;
  private readonly log: Logger;

  constructor(
    private readonly kafka: Kafka,
    logger: Logger,
    private readonly topic: string,
  ) {
    this.log = logger.child({ component: 'api-keys' });
  }

  /** Reads the topic up to its current end, then keeps following it. */
  async start(timeoutMs = 30_000): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    // Right after the topic is created its leader may not be known yet everywhere: retry that.
    const ends = await retryTransient(() => admin.fetchTopicOffsets(this.topic)).finally(() =>
      admin.disconnect(),
    );
    const pending = new Map(
      ends.filter((e) => BigInt(e.high) > 0n).map((e) => [e.partition, BigInt(e.high)]),
    );
    // A group of its own, never committed: each replica reads the whole topic.
    this.consumer = this.kafka.consumer({
      groupId: `llmops-control-${randomUUID()}`,
      maxWaitTimeInMs: 250,
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    let caughtUp!: () => void;
    const ready = new Promise<void>((resolve) => (caughtUp = resolve));
    if (pending.size === 0) caughtUp();
    await this.consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        if (message.value) {
          try {
            this.apply(apiKeyCodec.decode(message.value));
          } catch (err) {
            this.log.error(
              { partition, offset: message.offset, err: (err as Error).message },
              'unreadable API key record skipped',
            );
          }
        }
        const end = pending.get(partition);
        if (end !== undefined && BigInt(message.offset) + 1n >= end) {
          pending.delete(partition);
          if (pending.size === 0) caughtUp();
        }
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`API keys not loaded from ${this.topic} within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    await Promise.race([ready, timeout]).finally(() => clearTimeout(timer));
    this.log.info({ keys: this.keys.size }, 'API keys loaded');
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
  }

  /** Checks a presented bearer key. */
  check(presented: string): KeyCheck {
    const keyId = parseKeyId(presented);
    if (!keyId) return { ok: false, reason: 'malformed' };
    const key = this.keys.get(keyId);
    if (!key || !keyMatches(presented, key.secret_sha256))
      return { ok: false, reason: 'unknown', keyId };
    if (key.revoked_at_ms !== null) return { ok: false, reason: 'revoked', keyId };
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

  private async write(record: ApiKey): Promise<void> {
    if (!this.producer) {
      this.producer = this.kafka.producer({
        // kafkajs's current default (murmur2, as the Java client); naming it silences its v2 migration warning.
        createPartitioner: Partitioners.DefaultPartitioner,
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
      });
      await this.producer.connect();
    }
    await this.producer.send({
      topic: this.topic,
      acks: -1,
      messages: [{ key: record.key_id, value: apiKeyCodec.encode(record) }],
    });
    this.apply(record);
  }

  private apply(record: ApiKey): void {
    this.keys.set(record.key_id, record);
  }
}
