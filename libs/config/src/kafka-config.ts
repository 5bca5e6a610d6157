import { z } from 'zod';
import { env } from './config';

/** Variables every Kafka-connected service reads. */
export const kafkaConfigShape = {
  KAFKA_BROKERS: env.brokers('127.0.0.1:9092'),
  KAFKA_CLIENT_ID: env.name('llmops'),
  TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/, 'may only contain letters, digits, dot, underscore and dash')
    .default('')
    .describe('a prefix for every topic name (letters, digits, . _ -), default none'),
  TOPIC_PARTITIONS: env.int(1, 1024, 3),
  TOPIC_REPLICATION_FACTOR: env.int(1, 7, 1),
  RAW_RETENTION_MS: env.int(60_000, 365 * 86_400_000, 3 * 86_400_000),
  CONSUMER_MAX_RETRIES: env.int(0, 100, 5),
  CONSUMER_RETRY_BASE_MS: env.int(1, 60_000, 200),
};

/** Logging variables. */
export const logConfigShape = {
  LOG_LEVEL: env.enumOf(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const,
    'info',
  ),
  LOG_FORMAT: env.enumOf(['json', 'pretty'] as const, 'json'),
};

export const kafkaConfigSchema = z.object(kafkaConfigShape);
export type KafkaConfig = z.infer<typeof kafkaConfigSchema>;

/**
 * The metrics endpoint of a consumer service (the ingress serves `/metrics` on its
 * own port). Unset port: no endpoint; `0`: any free port (tests).
 */
export const metricsConfigShape = {
  METRICS_HOST: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe('an interface address, default 127.0.0.1'),
  METRICS_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65_535)
    .optional()
    .describe('a port from 0 to 65535 for /metrics, /healthz and /readyz; unset: none'),
};

/** Redis of a service that keeps counters or checks budgets (the token-accountant, the ingress). */
export const redisConfigShape = {
  REDIS_URL: env.url('redis://127.0.0.1:6379', ['redis', 'rediss']),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{0,64}$/, 'may only contain letters, digits, . _ : -')
    .default('llmops:')
    .describe("a key prefix of letters, digits, '.', '_', ':' or '-', default llmops:"),
};

/** The ClickHouse server and database of the analytics sink. */
export const clickhouseConfigShape = {
  CLICKHOUSE_URL: env.url('http://127.0.0.1:8123', ['http', 'https']),
  CLICKHOUSE_DATABASE: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a plain identifier')
    .default('llmops')
    .describe('a database name of letters, digits and underscores, default llmops'),
  CLICKHOUSE_USER: z
    .string()
    .default('default')
    .describe('a ClickHouse user name, default default'),
  CLICKHOUSE_PASSWORD: z
    .string()
    .default('')
    .describe('the password of CLICKHOUSE_USER, default empty'),
};

/**
 * What every consumer service reads besides its own variables: Kafka, topics
 * and consumer retries, logging, the metrics endpoint.
 */
export const consumerServiceConfigShape = {
  ...kafkaConfigShape,
  ...logConfigShape,
  ...metricsConfigShape,
};

export const consumerServiceConfigSchema = z.object(consumerServiceConfigShape);
export type ConsumerServiceConfig = z.infer<typeof consumerServiceConfigSchema>;
