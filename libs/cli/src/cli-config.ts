import { z } from 'zod';
import { env, kafkaConfigShape, loadConfig, logConfigShape } from '@llmops/config';

/**
 * What the CLI reads from the environment. Endpoints left unset mean "use
 * the local native stack" for the commands that can start it.
 */
export const cliConfigSchema = z.object({
  ...kafkaConfigShape,
  ...logConfigShape,
  KAFKA_BROKERS: z
    .string()
    .optional()
    .describe('a comma-separated host:port list; unset: the local stack'),
  CLICKHOUSE_URL: z.string().optional().describe('an http(s) URL; unset: the local stack'),
  REDIS_URL: z.string().optional().describe('a redis:// URL; unset: the local stack'),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{0,64}$/, 'may only contain letters, digits, . _ : -')
    .default('llmops:')
    .describe("a key prefix of letters, digits, '.', '_', ':' or '-', default llmops:"),
  CLICKHOUSE_DATABASE: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
    .default('llmops')
    .describe('a database name, default llmops'),
  INGRESS_PORT: env.int(0, 65_535, 8080),
  LLMOPS_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe(
      'the ingress base URL, e.g. https://llmops.internal; unset: http://127.0.0.1:INGRESS_PORT',
    ),
  LLMOPS_API_KEY: z
    .string()
    .optional()
    .describe(
      'an API key with the admin scope; unset: the dev key of `npm start` (.cache/dev-api-key)',
    ),
  PII_HMAC_KEY: z
    .string()
    .optional()
    .describe('a secret of at least 32 characters; unset: a generated development key'),
  CI: z.string().optional().describe('set by CI systems'),
});

export type CliConfig = z.infer<typeof cliConfigSchema>;

export function loadCliConfig(vars: Record<string, string | undefined> = process.env): CliConfig {
  return loadConfig(cliConfigSchema, vars);
}

/**
 * The replication factor of the topics the CLI creates: TOPIC_REPLICATION_FACTOR when it is
 * set; otherwise one copy per listed broker up to 3, so the comma-separated list of a
 * three-broker cluster (`llmops stack up --kafka-brokers 3`) gives 3 replicas with
 * min.insync.replicas 2, and a single bootstrap address keeps 1 as before.
 */
export function topicReplicationFactor(
  vars: Record<string, string | undefined>,
  config: Pick<CliConfig, 'TOPIC_REPLICATION_FACTOR'>,
  kafkaBrokers: string,
): number {
  if ((vars.TOPIC_REPLICATION_FACTOR ?? '').trim() !== '') return config.TOPIC_REPLICATION_FACTOR;
  const listed = new Set(
    kafkaBrokers
      .split(',')
      .map((b) => b.trim())
      .filter((b) => b !== ''),
  ).size;
  return Math.max(1, Math.min(3, listed));
}

/** The process environment: what the CLI reads its configuration from and passes on to the services it starts. */
export function childEnvironment(): NodeJS.ProcessEnv {
  return { ...process.env };
}
