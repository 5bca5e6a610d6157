import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createClickHouseClient, runSavedQuery, type ClickHouseClient } from '@llmops/clickhouse';
import type { Scope, TopicNames } from '@llmops/contracts';
import { ApiKeyStore } from '@llmops/control-plane';
import { createKafka } from '@llmops/kafka';
import { createLogger } from '@llmops/observability';
import {
  createPlatformTopics,
  testEndpoints,
  uniqueIdentifier,
  uniqueName,
  waitFor,
} from '@llmops/testing';
import Redis from 'ioredis';
import { loadIngressConfig, startIngress } from '../services/ingress/src';
import { loadScannerConfig, startPiiScanner } from '../services/pii-scanner/src';
import { loadSinkConfig, startAnalyticsSink } from '../services/analytics-sink/src';
import { loadAccountantConfig, startTokenAccountant } from '../services/token-accountant/src';

export const silent = createLogger('e2e', { level: 'silent' });
export const repoRoot = path.resolve(__dirname, '..');
export const queriesDir = path.join(repoRoot, 'deploy/clickhouse/queries');
export const HMAC_KEY = 'e2e-hmac-key-0123456789-abcdefghijklmnop';

export interface PipelineOptions {
  kafkaBrokers: string;
  clickhouseUrl: string;
  /** Extra variables for every service. */
  env?: Record<string, string>;
  /** Start the analytics sink with the rest. @default true */
  withSink?: boolean;
  /** Start the pii-scanner with the rest. @default true */
  withScanner?: boolean;
}

/** The whole pipeline in this process, on fresh topics and a fresh ClickHouse database. */
export class Pipeline {
  ingress!: NestFastifyApplication;
  scanner?: INestApplicationContext;
  sink?: INestApplicationContext;
  accountant?: INestApplicationContext;
  url!: string;
  topics!: TopicNames;
  prefix!: string;
  readonly database = uniqueIdentifier('e2e');
  readonly sinkGroup = uniqueName('sink');
  readonly accountantGroup = uniqueName('acct');
  /** This run's Redis keys (counters, dedupe marks, budget claims), deleted by `stop`. */
  readonly redisPrefix = `${uniqueName('t-acct')}:`;
  private accountantRedisUrl?: string;
  readonly clickhouse: ClickHouseClient;
  private keys!: ApiKeyStore;

  constructor(private readonly opts: PipelineOptions) {
    this.clickhouse = createClickHouseClient({ url: opts.clickhouseUrl });
  }

  /** Variables as the services read them from the environment. */
  env(): Record<string, string> {
    return {
      KAFKA_BROKERS: this.opts.kafkaBrokers,
      CLICKHOUSE_URL: this.opts.clickhouseUrl,
      CLICKHOUSE_DATABASE: this.database,
      TOPIC_PREFIX: this.prefix,
      PII_HMAC_KEY: HMAC_KEY,
      PII_SCANNER_GROUP_ID: `${this.prefix}scanner`,
      SINK_GROUP_ID: this.sinkGroup,
      SINK_GUARDRAIL_FINDINGS_GROUP_ID: `${this.sinkGroup}-findings`,
      GUARDRAIL_MONITOR_GROUP_ID: `${this.prefix}monitor`,
      SINK_BATCH_MAX_WAIT_MS: '200',
      CONSUMER_RETRY_BASE_MS: '50',
      LOG_LEVEL: 'silent',
      INGRESS_PORT: '0',
      REDIS_URL: testEndpoints().redisUrl,
      REDIS_KEY_PREFIX: this.redisPrefix,
      ACCOUNTANT_GROUP_ID: this.accountantGroup,
      ...this.opts.env,
    };
  }

  async start(): Promise<this> {
    const kafka = createKafka({
      brokers: this.opts.kafkaBrokers.split(','),
      clientId: 'e2e',
      logger: silent,
    });
    ({ prefix: this.prefix, topics: this.topics } = await createPlatformTopics(kafka));
    this.keys = new ApiKeyStore(kafka, silent, this.topics.controlApiKeys);
    const env = this.env();
    this.ingress = await startIngress(loadIngressConfig(env), silent);
    this.url = (await this.ingress.getUrl()).replace('[::1]', '127.0.0.1');
    if (this.opts.withScanner !== false) await this.startScanner();
    if (this.opts.withSink !== false) await this.startSink();
    return this;
  }

  async startScanner(): Promise<void> {
    this.scanner = await startPiiScanner(loadScannerConfig(this.env()), silent);
  }

  async startSink(): Promise<void> {
    this.sink = await startAnalyticsSink(loadSinkConfig(this.env()), silent);
  }

  /** The token accountant over this run's topics and Redis prefix; `redisUrl` for a Redis of the test's own. */
  async startAccountant(redisUrl = testEndpoints().redisUrl): Promise<INestApplicationContext> {
    this.accountantRedisUrl = redisUrl;
    this.accountant = await startTokenAccountant(
      loadAccountantConfig({ ...this.env(), REDIS_URL: redisUrl }),
      silent,
    );
    return this.accountant;
  }

  async stopSink(): Promise<void> {
    await this.sink?.close();
    this.sink = undefined;
  }

  /** A new API key of `tenant`, once the ingress has loaded it. */
  async key(tenant: string, scopes: Scope[] = ['ingest', 'query']): Promise<string> {
    const { key } = await this.keys.create({ tenant, scopes });
    await waitFor(
      'the ingress to load the new API key',
      async () => (await this.post(key, [])).status !== 401,
    );
    return key;
  }

  async post(
    key: string,
    body: unknown,
  ): Promise<{ status: number; json: any; retryAfter: string | null }> {
    const res = await fetch(`${this.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
    });
    return {
      status: res.status,
      json: await res.json().catch(() => undefined),
      retryAfter: res.headers.get('retry-after'),
    };
  }

  /** Rows of one SQL statement against this run's database. */
  async rows<T = Record<string, unknown>>(sql: string): Promise<T[]> {
    const result = await this.clickhouse.query({
      query: sql.replace(/\{db\}/g, this.database),
      format: 'JSONEachRow',
      clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
    });
    return result.json<T>();
  }

  saved<T = Record<string, unknown>>(
    name: string,
    params: Record<string, string | number>,
  ): Promise<T[]> {
    return runSavedQuery<T>(this.clickhouse, name, params, { queriesDir, database: this.database });
  }

  /** Waits until the table holds `n` distinct events (FINAL: duplicates collapsed). */
  async waitForRows(n: number, timeoutMs = 120_000): Promise<void> {
    await waitFor(
      `${n} invocations in ClickHouse`,
      async () => {
        const [row] = await this.rows<{ n: number }>(
          'SELECT count() AS n FROM {db}.invocations FINAL',
        ).catch(() => [{ n: -1 }]);
        return row!.n >= n ? true : undefined;
      },
      { timeoutMs, intervalMs: 500 },
    );
  }

  async stop(): Promise<void> {
    await this.ingress?.close();
    await this.scanner?.close();
    await this.sink?.close();
    await this.accountant?.close();
    await this.keys?.stop();
    if (this.accountantRedisUrl === testEndpoints().redisUrl) await this.dropRedisKeys();
    await this.clickhouse
      .command({ query: `DROP DATABASE IF EXISTS ${this.database}` })
      .catch(() => undefined);
    await this.clickhouse.close();
  }

  private async dropRedisKeys(): Promise<void> {
    const redis = new Redis(testEndpoints().redisUrl);
    try {
      const keys = await redis.keys(`${this.redisPrefix}*`);
      if (keys.length > 0) await redis.del(...keys);
    } finally {
      await redis.quit();
    }
  }
}

let counter = 0;

/** An invocation event whose prompt carries an e-mail address and a phone number. */
export function piiEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const n = ++counter;
  return {
    event_id: randomUUID(),
    app_id: 'support-bot',
    operation: 'chat',
    provider_name: 'openai',
    request_model: 'gpt-4o',
    start_time_ms: Date.now() - 60_000,
    usage: { input_tokens: 100 + (n % 7), output_tokens: 20 + (n % 5) },
    input_messages: [
      { role: 'system', content: 'You are a helpful support agent.' },
      {
        role: 'user',
        content: `Customer ${n}: please email jane.doe${n}@example.com or call +44 20 7946 0${String(n % 1000).padStart(3, '0')} about the refund.`,
      },
    ],
    output_messages: [{ role: 'assistant', content: 'I will contact the customer today.' }],
    ...overrides,
  };
}
