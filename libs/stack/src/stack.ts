import { mkdir, readdir } from 'node:fs/promises';
import { ensureClickHouse } from './clickhouse/binary';
import { LocalClickHouse } from './clickhouse/local-clickhouse';
import {
  componentLabel,
  describeError,
  PortInUseError,
  StackError,
  type StackComponent,
} from './errors';
import { ensureKafkaJars } from './kafka/jars';
import { LocalKafka } from './kafka/local-kafka';
import { clusterNodePorts, LocalKafkaCluster } from './kafka/local-kafka-cluster';
import { withFileLock } from './lock';
import { canConnect } from './net';
import { endpointsFor, resolveStackOptions, type ResolvedStackOptions } from './options';
import { LocalRedis } from './redis/local-redis';
import { probeRedis } from './redis/probe';
import type { ComponentStatus, StackEndpoints, StackOptions } from './types';

/**
 * Starts Kafka, ClickHouse and Redis as detached local servers (or reuses those already
 * running) and returns their endpoints once each is ready. Idempotent and fast when
 * everything runs; the first start may download the Kafka jars and install ClickHouse.
 */
export async function stackUp(options: StackOptions): Promise<StackEndpoints> {
  const resolved = resolveStackOptions(options);
  await mkdir(resolved.cacheDir, { recursive: true });
  const started = Date.now();
  await withFileLock(resolved.paths.lockFile, resolved.readyTimeoutMs + 300_000, async () => {
    const outcomes = await Promise.allSettled(
      resolved.components.map((component) => UP[component](resolved)),
    );
    throwFailures('stack up', resolved.components, outcomes);
  });
  resolved.log(`stack: up in ${Date.now() - started} ms (${resolved.components.join(', ')})`);
  return endpointsFor(resolved.ports, resolved.kafkaBrokerCount);
}

/** Stops the servers this stack started (found by their pid files); leaves any other server alone. */
export async function stackDown(options: StackOptions): Promise<void> {
  const resolved = resolveStackOptions(options);
  await mkdir(resolved.cacheDir, { recursive: true });
  await withFileLock(resolved.paths.lockFile, resolved.readyTimeoutMs + 300_000, async () => {
    const outcomes = await Promise.allSettled(
      resolved.components.map((component) => DOWN[component](resolved)),
    );
    throwFailures('stack down', resolved.components, outcomes);
  });
}

/**
 * What runs on the stack's ports, and which of it this stack started: one status per Kafka
 * broker (and also those of the other Kafka layout, single broker or cluster, that still run).
 */
export async function stackStatus(options: StackOptions): Promise<ComponentStatus[]> {
  const resolved = resolveStackOptions(options);
  const [kafka, clickhouse, redis] = await Promise.all([
    kafkaStatus(resolved),
    clickhouseStatus(resolved),
    redisStatus(resolved),
  ]);
  return [...kafka, clickhouse, redis];
}

type Step = (options: ResolvedStackOptions) => Promise<void>;

const UP: Record<StackComponent, Step> = {
  kafka: async (o) => {
    if (o.kafkaBrokerCount > 1) return clusterUp(o);
    const cluster = await clusterFor(o);
    if (cluster !== undefined && (await cluster.runningPids()).some((pid) => pid !== undefined)) {
      throw new StackError(
        `Kafka: this stack's ${cluster.nodes.length}-broker cluster runs (${cluster.brokers}); ` +
          `use it with --kafka-brokers ${cluster.nodes.length} (LLMOPS_STACK_KAFKA_BROKERS=${cluster.nodes.length}), ` +
          `or stop it first with \`llmops stack down\``,
        { component: 'kafka' },
      );
    }
    const kafka = kafkaFor(o);
    if ((await kafka.runningPid()) === undefined && (await canConnect(o.ports.kafka))) {
      if (!(await kafka.isReady()))
        throw new PortInUseError(o.ports.kafka, 'kafka', 'it does not answer as a Kafka broker');
      o.log(`kafka: reusing the broker on ${kafka.brokers}, which this stack did not start`);
      return;
    }
    if ((await kafka.runningPid()) === undefined) {
      await ensureKafkaJars({
        pomFile: o.paths.kafkaPom,
        jarsDir: o.paths.kafkaJarsDir,
        log: o.log,
      });
    }
    await kafka.start();
  },
  clickhouse: async (o) => {
    const clickhouse = clickhouseFor(o);
    if (
      (await clickhouse.runningPid()) === undefined &&
      (await canConnect(o.ports.clickhouseHttp))
    ) {
      if (!(await clickhouse.isReady())) {
        throw new PortInUseError(
          o.ports.clickhouseHttp,
          'clickhouse',
          'it does not answer as ClickHouse',
        );
      }
      o.log(`clickhouse: reusing the server on ${clickhouse.url}, which this stack did not start`);
      return;
    }
    await clickhouse.start(() =>
      ensureClickHouse({ clickhouseDir: o.paths.clickhouseDir, install: o.install, log: o.log }),
    );
  },
  redis: async (o) => {
    const outcome = await redisFor(o).up();
    if (outcome === 'reused')
      o.log(`redis: using the Redis that answers on 127.0.0.1:${o.ports.redis}`);
  },
};

const DOWN: Record<StackComponent, Step> = {
  // Whichever layout was started: the single broker and every cluster node found.
  kafka: async (o) => {
    const cluster = await clusterFor(o);
    await Promise.all([kafkaFor(o).stop(), cluster?.stop()]);
  },
  clickhouse: (o) => clickhouseFor(o).stop(),
  redis: async (o) => {
    if (!(await redisFor(o).down())) o.log(`redis: not started by this stack; left running`);
  },
};

function kafkaFor(o: ResolvedStackOptions): LocalKafka {
  return new LocalKafka({
    dir: o.paths.kafkaDir,
    port: o.ports.kafka,
    controllerPort: o.ports.kafkaController,
    jarsDir: o.paths.kafkaJarsDir,
    log: o.log,
    heapMb: o.kafkaHeapMb,
    log4jConfigFile: o.paths.kafkaLog4jConfig,
    readyTimeoutMs: o.readyTimeoutMs,
  });
}

async function clusterUp(o: ResolvedStackOptions): Promise<void> {
  const single = kafkaFor(o);
  const singlePid = await single.runningPid();
  if (singlePid !== undefined) {
    throw new StackError(
      `Kafka: this stack's single broker runs on ${single.brokers} (pid ${singlePid}); ` +
        `stop it with \`llmops stack down\` before starting a ${o.kafkaBrokerCount}-broker cluster`,
      { component: 'kafka' },
    );
  }
  const cluster = (await clusterFor(o))!;
  if ((await cluster.runningPids()).some((pid) => pid === undefined)) {
    await ensureKafkaJars({ pomFile: o.paths.kafkaPom, jarsDir: o.paths.kafkaJarsDir, log: o.log });
  }
  await cluster.start();
}

/**
 * The stack's Kafka cluster: `kafkaBrokerCount` nodes, or as many as have a folder (so that
 * `down` and `status` find a cluster started with another count). Undefined when there is none.
 */
async function clusterFor(o: ResolvedStackOptions): Promise<LocalKafkaCluster | undefined> {
  const folders = await readdir(o.paths.kafkaClusterDir).catch(() => [] as string[]);
  const found = Math.max(0, ...folders.map((name) => Number(/^node-(\d+)$/.exec(name)?.[1] ?? 0)));
  const count = Math.max(found, o.kafkaBrokerCount > 1 ? o.kafkaBrokerCount : 0);
  if (count === 0) return undefined;
  return new LocalKafkaCluster({
    dir: o.paths.kafkaClusterDir,
    nodes: clusterNodePorts(count, o.ports.kafka, o.ports.kafkaController),
    jarsDir: o.paths.kafkaJarsDir,
    log: o.log,
    heapMb: o.kafkaHeapMb,
    log4jConfigFile: o.paths.kafkaLog4jConfig,
    readyTimeoutMs: o.readyTimeoutMs,
  });
}

function clickhouseFor(o: ResolvedStackOptions): LocalClickHouse {
  return new LocalClickHouse({
    dir: o.paths.clickhouseDir,
    httpPort: o.ports.clickhouseHttp,
    tcpPort: o.ports.clickhouseTcp,
    configTemplate: o.paths.clickhouseConfigTemplate,
    usersConfig: o.paths.clickhouseUsersConfig,
    log: o.log,
    readyTimeoutMs: o.readyTimeoutMs,
  });
}

function redisFor(o: ResolvedStackOptions): LocalRedis {
  return new LocalRedis({
    dir: o.paths.redisDir,
    port: o.ports.redis,
    log: o.log,
    readyTimeoutMs: o.readyTimeoutMs,
  });
}

/** One status per broker of the configured layout, plus any broker of the other that runs. */
async function kafkaStatus(o: ResolvedStackOptions): Promise<ComponentStatus[]> {
  const single = kafkaFor(o);
  const cluster = await clusterFor(o);
  const clusterRuns = ((await cluster?.runningPids()) ?? []).some((pid) => pid !== undefined);
  const nodes: Array<{ kafka: LocalKafka; node?: number; configured: boolean }> = [
    // Node 1 of a running cluster answers on the single broker's port: show it once.
    { kafka: single, configured: o.kafkaBrokerCount === 1 && !clusterRuns },
    ...(cluster?.nodes ?? []).map((kafka, i) => ({
      kafka,
      node: i + 1,
      configured: o.kafkaBrokerCount > 1 && i < o.kafkaBrokerCount,
    })),
  ];
  const rows = await Promise.all(
    nodes.map(async ({ kafka, node, configured }) => {
      const pid = await kafka.runningPid();
      if (!configured && pid === undefined) return undefined;
      const status = await describe(
        'kafka',
        kafka.brokers,
        pid,
        await kafka.isReady(),
        kafka.port,
        kafka.logFiles,
      );
      return node === undefined ? status : { ...status, node };
    }),
  );
  return rows.filter((row): row is ComponentStatus => row !== undefined);
}

async function clickhouseStatus(o: ResolvedStackOptions): Promise<ComponentStatus> {
  const clickhouse = clickhouseFor(o);
  const [pid, answers] = await Promise.all([clickhouse.runningPid(), clickhouse.isReady()]);
  return describe(
    'clickhouse',
    clickhouse.url,
    pid,
    answers,
    o.ports.clickhouseHttp,
    clickhouse.logFiles,
  );
}

async function redisStatus(o: ResolvedStackOptions): Promise<ComponentStatus> {
  const redis = redisFor(o);
  const [pid, answer] = await Promise.all([redis.runningPid(), probeRedis(o.ports.redis)]);
  return describe('redis', redis.url, pid, answer.ready, o.ports.redis, [redis.logFile]);
}

async function describe(
  component: StackComponent,
  endpoint: string,
  pid: number | undefined,
  answers: boolean,
  port: number,
  logFiles: readonly string[],
): Promise<ComponentStatus> {
  const status: ComponentStatus = { component, running: answers, endpoint };
  if (pid !== undefined) status.pid = pid;
  if (pid !== undefined) {
    status.detail = answers
      ? `started by this stack; logs: ${logFiles.join(', ')}`
      : `pid ${pid} runs but does not answer yet; read ${logFiles.join(', ')}`;
  } else if (answers) {
    status.detail = 'running, not started by this stack';
  } else if (await canConnect(port)) {
    status.detail = `port ${port} is taken by something that is not ${componentLabel(component)}`;
  } else {
    status.detail = 'not running';
  }
  return status;
}

function throwFailures(
  action: string,
  components: readonly StackComponent[],
  outcomes: PromiseSettledResult<void>[],
): void {
  const failures = outcomes.flatMap((outcome, index) =>
    outcome.status === 'rejected'
      ? [{ component: components[index], error: outcome.reason as unknown }]
      : [],
  );
  const [first] = failures;
  if (first === undefined) return;
  if (failures.length === 1) throw first.error;
  throw new StackError(
    `${action} failed for ${failures.length} servers:\n${failures.map((f) => `- ${describeError(f.error)}`).join('\n')}`,
    {
      cause: new AggregateError(failures.map((f) => f.error)),
    },
  );
}
