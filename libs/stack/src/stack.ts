import { mkdir } from 'node:fs/promises';
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
  return endpointsFor(resolved.ports);
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

/** What runs on the stack's ports, and which of it this stack started. */
export async function stackStatus(options: StackOptions): Promise<ComponentStatus[]> {
  const resolved = resolveStackOptions(options);
  return Promise.all([kafkaStatus(resolved), clickhouseStatus(resolved), redisStatus(resolved)]);
}

type Step = (options: ResolvedStackOptions) => Promise<void>;

const UP: Record<StackComponent, Step> = {
  kafka: async (o) => {
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
  kafka: (o) => kafkaFor(o).stop(),
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

async function kafkaStatus(o: ResolvedStackOptions): Promise<ComponentStatus> {
  const kafka = kafkaFor(o);
  const [pid, answers] = await Promise.all([kafka.runningPid(), kafka.isReady()]);
  return describe('kafka', kafka.brokers, pid, answers, o.ports.kafka, kafka.logFiles);
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
