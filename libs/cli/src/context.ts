import type { Kafka } from 'kafkajs';
import { topicNames, type TopicNames } from '@llmops/contracts';
import { createKafka } from '@llmops/kafka';
import { createLogger, type Logger } from '@llmops/observability';
import {
  endpointsFor,
  findRepoRoot,
  resolveStackOptions,
  stackOptionsFromEnv,
  type StackEndpoints,
  type StackOptions,
} from '@llmops/stack';
import {
  childEnvironment,
  loadCliConfig,
  topicReplicationFactor,
  type CliConfig,
} from './cli-config';

/** What every command gets: config, a stderr logger, and where the servers are. */
export interface CliContext {
  /** TOPIC_REPLICATION_FACTOR, when unset, follows the brokers (see topicReplicationFactor). */
  config: CliConfig;
  logger: Logger;
  repoRoot: string;
  topics: TopicNames;
  stack: StackOptions;
  /** Endpoints from the environment, each falling back to the local stack's. */
  endpoints: StackEndpoints;
  /** True when no endpoint is configured: the local stack is the system's home. */
  localStack: boolean;
  kafka(): Kafka;
  out(line: string): void;
  err(line: string): void;
}

export function createContext(
  vars: Record<string, string | undefined> = childEnvironment(),
): CliContext {
  const loaded = loadCliConfig(vars);
  const repoRoot = findRepoRoot(__dirname);
  const logger = createLogger('llmops-cli', {
    level: loaded.LOG_LEVEL === 'info' ? 'warn' : loaded.LOG_LEVEL,
    format: 'pretty',
    destination: process.stderr,
  });
  const stack: StackOptions = {
    ...stackOptionsFromEnv(vars),
    repoRoot,
    log: (line) => process.stderr.write(`[stack] ${line}\n`),
  };
  const resolved = resolveStackOptions(stack);
  const local = endpointsFor(resolved.ports, resolved.kafkaBrokerCount);
  const endpoints: StackEndpoints = {
    kafkaBrokers: loaded.KAFKA_BROKERS ?? local.kafkaBrokers,
    clickhouseUrl: loaded.CLICKHOUSE_URL ?? local.clickhouseUrl,
    redisUrl: loaded.REDIS_URL ?? local.redisUrl,
  };
  const config: CliConfig = {
    ...loaded,
    TOPIC_REPLICATION_FACTOR: topicReplicationFactor(vars, loaded, endpoints.kafkaBrokers),
  };
  let kafka: Kafka | undefined;
  return {
    config,
    logger,
    repoRoot,
    topics: topicNames(config.TOPIC_PREFIX),
    stack,
    endpoints,
    localStack: !config.KAFKA_BROKERS && !config.CLICKHOUSE_URL && !config.REDIS_URL,
    kafka: () =>
      (kafka ??= createKafka({
        brokers: endpoints.kafkaBrokers.split(','),
        clientId: 'llmops-cli',
        logger,
        connectionTimeoutMs: 3_000,
        retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 1_000 },
      })),
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  };
}

/** Turns kafkajs's connection failure into what to do about it. */
export function explainKafkaError(ctx: CliContext, err: unknown): Error {
  const msg = (err as Error).message ?? String(err);
  if (/connect|ECONNREFUSED|broker|timeout/i.test(msg)) {
    return new Error(
      `Kafka at ${ctx.endpoints.kafkaBrokers} is not reachable (${msg}). ` +
        (ctx.config.KAFKA_BROKERS
          ? 'Check KAFKA_BROKERS.'
          : 'Start the local stack with `npx llmops stack up`, or set KAFKA_BROKERS.'),
      { cause: err },
    );
  }
  return err instanceof Error ? err : new Error(msg);
}
