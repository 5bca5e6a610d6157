import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { Kafka } from 'kafkajs';
import {
  invocationCodec,
  invocationKey,
  type Invocation,
  type TopicNames,
} from '@llmops/contracts';
import { createLogger } from '@llmops/observability';
import { BudgetStore, UsageKeys, UsageReader, type PriceTableEntry } from '@llmops/pricing';
import { createKafka } from '@llmops/kafka';
import {
  createPlatformTopics,
  testEndpoints,
  testKafka,
  uniqueName,
  waitFor,
} from '@llmops/testing';
import { loadAccountantConfig, startTokenAccountant } from '../src';

export const silent = createLogger('test', { level: 'silent' });

/** The m-large price changes on today's UTC date (counter windows are kept relative to now). */
export const PRICE_CHANGE_DAY = new Date().toISOString().slice(0, 10);

/** Test prices, written to a PRICING_FILE: the configuration path, and a dated price change. */
export const TEST_PRICES: PriceTableEntry[] = [
  {
    provider: 'acme-ai',
    model: 'm-small',
    versions: [{ from: '2026-01-01', input: '0.15', cached_input: '0.075', output: '0.60' }],
  },
  {
    provider: 'acme-ai',
    model: 'm-large',
    versions: [
      { from: '2026-01-01', input: '3', cached_input: '0.30', output: '15' },
      { from: PRICE_CHANGE_DAY, input: '2.50', cached_input: '0.25', output: '10' },
    ],
  },
  {
    provider: 'acme-ai',
    model: 'm-reason',
    versions: [
      {
        from: '2026-01-01',
        input: '1.10',
        cached_input: '0.275',
        output: '4.40',
        reasoning: '5.50',
      },
    ],
  },
];

/** Everything one accountant test needs, on fresh topics and a fresh Redis key prefix. */
export class AccountantHarness {
  readonly kafka: Kafka = testKafka('accountant-test');
  readonly redis = new Redis(testEndpoints().redisUrl);
  readonly prefix = `${uniqueName('t')}:`;
  readonly keys = new UsageKeys(this.prefix);
  readonly reader = new UsageReader(this.redis, this.keys);
  readonly groupId = uniqueName('accountant');
  topicPrefix = '';
  topics!: TopicNames;
  budgets!: BudgetStore;
  private readonly apps: INestApplicationContext[] = [];
  private priceFile = path.join(tmpdir(), `${uniqueName('prices')}.json`);

  async setup(): Promise<void> {
    ({ prefix: this.topicPrefix, topics: this.topics } = await createPlatformTopics(this.kafka));
    writeFileSync(this.priceFile, JSON.stringify(TEST_PRICES));
    this.budgets = new BudgetStore(
      createKafka({
        brokers: testEndpoints().kafkaBrokers.split(','),
        clientId: 'budgets-test',
        logger: silent,
      }),
      silent,
      this.topics.controlBudgets,
    );
    await this.budgets.start();
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      KAFKA_BROKERS: testEndpoints().kafkaBrokers,
      REDIS_URL: testEndpoints().redisUrl,
      REDIS_KEY_PREFIX: this.prefix,
      TOPIC_PREFIX: this.topicPrefix,
      ACCOUNTANT_GROUP_ID: this.groupId,
      PRICING_FILE: this.priceFile,
      CONSUMER_MAX_RETRIES: '2',
      CONSUMER_RETRY_BASE_MS: '10',
      LOG_LEVEL: 'silent',
      ...extra,
    };
  }

  async startAccountant(extra: Record<string, string> = {}): Promise<INestApplicationContext> {
    const app = await startTokenAccountant(loadAccountantConfig(this.env(extra)), silent);
    this.apps.push(app);
    return app;
  }

  async stopAccountants(): Promise<void> {
    await Promise.all(this.apps.splice(0).map((a) => a.close()));
  }

  /** Writes invocations to the raw topic as the ingress would. */
  async produce(events: Invocation[]): Promise<void> {
    const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      for (let i = 0; i < events.length; i += 1_000) {
        await producer.send({
          topic: this.topics.invocations,
          acks: -1,
          messages: events.slice(i, i + 1_000).map((e) => ({
            key: invocationKey(e.tenant_id, e.trace_id),
            value: invocationCodec.encode(e),
          })),
        });
      }
    } finally {
      await producer.disconnect();
    }
  }

  /** Raw bytes to the raw topic (poison tests). */
  async produceRaw(values: Buffer[]): Promise<void> {
    const producer = this.kafka.producer();
    await producer.connect();
    await producer.send({
      topic: this.topics.invocations,
      messages: values.map((value) => ({ value })),
    });
    await producer.disconnect();
  }

  /** Resolves once the accountant group committed every offset of the raw topic. */
  async waitCaughtUp(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await waitFor('the accountant to commit the whole raw topic', async () => {
        const ends = await admin.fetchTopicOffsets(this.topics.invocations);
        const [group] = await admin.fetchOffsets({
          groupId: this.groupId,
          topics: [this.topics.invocations],
        });
        return ends.every((e) => {
          const c = group?.partitions.find((p) => p.partition === e.partition)?.offset ?? '-1';
          return BigInt(e.high) === 0n || BigInt(c) >= BigInt(e.high);
        });
      });
    } finally {
      await admin.disconnect();
    }
  }

  /** Runs the built accountant fixture that SIGKILLs itself after its first counted batch. */
  runCrashingAccountant(): Promise<{ signal: NodeJS.Signals | null; stdout: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [path.join(__dirname, 'fixtures/accountant-killed-after-count.js')],
        { env: { ...process.env, ...this.env() }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the crashing accountant did not crash within 60 s: ${stderr}`));
      }, 60_000);
      child.once('exit', (_code, signal) => {
        clearTimeout(timer);
        resolve({ signal, stdout: stdout + stderr });
      });
    });
  }

  async close(): Promise<void> {
    await this.stopAccountants();
    await this.budgets.stop();
    // Our keys only: everything under this test's prefix.
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await this.redis.unlink(...keys);
    } while (cursor !== '0');
    this.redis.disconnect();
  }
}

/** An invocation with every default filled, as the ingress writes it. */
export function invocation(
  fields: Partial<Invocation> & Pick<Invocation, 'event_id' | 'tenant_id' | 'start_time_ms'>,
): Invocation {
  return invocationCodec.fromJson({
    app_id: 'app',
    trace_id: 'a'.repeat(32),
    operation: 'chat',
    provider_name: 'acme-ai',
    request_model: 'm-small',
    received_at_ms: fields.start_time_ms,
    ...fields,
  });
}

/** A deterministic PRNG (mulberry32), so a failing run can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
