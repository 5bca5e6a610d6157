import { findRepoRoot, stackOptionsFromEnv, stackUp } from '@llmops/stack';

/** Where the integration tests find their servers. */
export interface TestEndpoints {
  kafkaBrokers: string;
  redisUrl: string;
  clickhouseUrl: string;
}

interface StartedContainer {
  stop(): Promise<unknown>;
}

const started: StartedContainer[] = [];

/**
 * Resolves the endpoints once per test run and publishes them in the
 * environment: `KAFKA_BROKERS`, `REDIS_URL` and `CLICKHOUSE_URL` when all are
 * set; otherwise Testcontainers when a Docker engine answers; otherwise the
 * local native stack (started if needed).
 */
export async function provideTestEndpoints(
  env: NodeJS.ProcessEnv = process.env,
): Promise<TestEndpoints> {
  const fromEnv = endpointsFromEnv(env);
  const endpoints = fromEnv ?? (await fromContainers()) ?? (await fromLocalStack(env));
  env.KAFKA_BROKERS = endpoints.kafkaBrokers;
  env.REDIS_URL = endpoints.redisUrl;
  env.CLICKHOUSE_URL = endpoints.clickhouseUrl;
  return endpoints;
}

/** The endpoints a test worker was given by the global setup. */
export function testEndpoints(env: NodeJS.ProcessEnv = process.env): TestEndpoints {
  const endpoints = endpointsFromEnv(env);
  if (!endpoints) {
    throw new Error(
      'KAFKA_BROKERS, REDIS_URL and CLICKHOUSE_URL are not set: run integration tests through ' +
        'their Jest project (`npm run test:int`), whose global setup provides them',
    );
  }
  return endpoints;
}

export async function releaseTestEndpoints(): Promise<void> {
  await Promise.all(started.splice(0).map((c) => c.stop()));
}

function endpointsFromEnv(env: NodeJS.ProcessEnv): TestEndpoints | undefined {
  const { KAFKA_BROKERS, REDIS_URL, CLICKHOUSE_URL } = env;
  const set = [KAFKA_BROKERS, REDIS_URL, CLICKHOUSE_URL].filter(Boolean).length;
  if (set === 0) return undefined;
  if (set < 3) {
    throw new Error(
      'set all of KAFKA_BROKERS, REDIS_URL and CLICKHOUSE_URL, or none of them (then the tests ' +
        'use Testcontainers or the local native stack)',
    );
  }
  return { kafkaBrokers: KAFKA_BROKERS!, redisUrl: REDIS_URL!, clickhouseUrl: CLICKHOUSE_URL! };
}

async function fromContainers(): Promise<TestEndpoints | undefined> {
  const tc = await import('testcontainers');
  try {
    await tc.getContainerRuntimeClient();
  } catch {
    return undefined; // no Docker engine answers: use the local native stack
  }
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const { RedisContainer } = await import('@testcontainers/redis');
  const { ClickHouseContainer } = await import('@testcontainers/clickhouse');
  const [kafka, redis, clickhouse] = await Promise.all([
    new KafkaContainer('confluentinc/cp-kafka:7.9.0').withKraft().start(),
    new RedisContainer('redis:7-alpine').start(),
    new ClickHouseContainer('clickhouse/clickhouse-server:25.8').start(),
  ]);
  started.push(kafka, redis, clickhouse);
  return {
    kafkaBrokers: `${kafka.getHost()}:${kafka.getMappedPort(9093)}`,
    redisUrl: redis.getConnectionUrl(),
    clickhouseUrl: clickhouse.getHttpUrl(),
  };
}

async function fromLocalStack(env: NodeJS.ProcessEnv): Promise<TestEndpoints> {
  const repoRoot = findRepoRoot(__dirname);
  return stackUp({
    ...stackOptionsFromEnv(env),
    repoRoot,
    log: (line) => process.stderr.write(`[stack] ${line}\n`),
  });
}
