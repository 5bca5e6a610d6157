import path from 'node:path';
import { StackConfigError, type StackComponent } from './errors';
import { clusterNodePorts, type KafkaNodePorts } from './kafka/local-kafka-cluster';
import { findRepoRoot } from './repo-root';
import type { StackEndpoints, StackOptions, StackPorts } from './types';

export const DEFAULT_PORTS: Readonly<StackPorts> = Object.freeze({
  kafka: 9092,
  kafkaController: 9093,
  clickhouseHttp: 8123,
  clickhouseTcp: 9000,
  redis: 6379,
});

export const ALL_COMPONENTS: readonly StackComponent[] = ['kafka', 'clickhouse', 'redis'];
export const DEFAULT_READY_TIMEOUT_MS = 120_000;
export const DEFAULT_KAFKA_HEAP_MB = 512;
/** Each broker's heap when the stack runs a cluster. */
export const DEFAULT_CLUSTER_KAFKA_HEAP_MB = 384;
export const MAX_KAFKA_BROKERS = 9;

/** Every option filled in, plus the paths derived from them. */
export interface ResolvedStackOptions {
  repoRoot: string;
  cacheDir: string;
  ports: StackPorts;
  log: (line: string) => void;
  readyTimeoutMs: number;
  components: readonly StackComponent[];
  install: boolean;
  kafkaHeapMb: number;
  /** 1: the single broker in `paths.kafkaDir`; more: a cluster in `paths.kafkaClusterDir`. */
  kafkaBrokerCount: number;
  /** Each broker's ports, node 1 first (one entry for the single broker). */
  kafkaNodes: KafkaNodePorts[];
  paths: StackPaths;
}

export interface StackPaths {
  kafkaPom: string;
  kafkaLog4jConfig: string;
  kafkaJarsDir: string;
  kafkaDir: string;
  kafkaClusterDir: string;
  clickhouseConfigTemplate: string;
  clickhouseUsersConfig: string;
  clickhouseDir: string;
  redisDir: string;
  lockFile: string;
}

export function resolveStackOptions(options: StackOptions): ResolvedStackOptions {
  const repoRoot = path.resolve(options.repoRoot);
  const cacheDir = path.resolve(repoRoot, options.cacheDir ?? '.cache');
  const ports: StackPorts = { ...DEFAULT_PORTS, ...definedOnly(options.ports ?? {}) };
  const kafkaBrokerCount = options.kafkaBrokerCount ?? 1;
  if (
    !Number.isInteger(kafkaBrokerCount) ||
    kafkaBrokerCount < 1 ||
    kafkaBrokerCount > MAX_KAFKA_BROKERS
  ) {
    throw new StackConfigError(
      `kafkaBrokerCount=${String(kafkaBrokerCount)} is invalid (expected a whole number 1-${MAX_KAFKA_BROKERS}, e.g. 3)`,
    );
  }
  const kafkaNodes = clusterNodePorts(kafkaBrokerCount, ports.kafka, ports.kafkaController);
  validatePorts(ports, kafkaNodes);
  const readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  requirePositiveInteger('readyTimeoutMs', readyTimeoutMs);
  const kafkaHeapMb =
    options.kafkaHeapMb ??
    (kafkaBrokerCount > 1 ? DEFAULT_CLUSTER_KAFKA_HEAP_MB : DEFAULT_KAFKA_HEAP_MB);
  requirePositiveInteger('kafkaHeapMb', kafkaHeapMb);
  const components = options.components ?? ALL_COMPONENTS;
  for (const component of components) {
    if (!ALL_COMPONENTS.includes(component)) {
      throw new StackConfigError(
        `components: unknown component "${String(component)}" (expected ${ALL_COMPONENTS.join(', ')})`,
      );
    }
  }
  const deploy = path.join(repoRoot, 'deploy', 'local');
  return {
    repoRoot,
    cacheDir,
    ports,
    log: options.log ?? (() => undefined),
    readyTimeoutMs,
    components,
    install: options.install ?? true,
    kafkaHeapMb,
    kafkaBrokerCount,
    kafkaNodes,
    paths: {
      kafkaPom: path.join(deploy, 'kafka', 'pom.xml'),
      kafkaLog4jConfig: path.join(deploy, 'kafka', 'log4j2.properties'),
      kafkaJarsDir: path.resolve(
        repoRoot,
        options.kafkaJarsDir ?? path.join(cacheDir, 'kafka', 'libs'),
      ),
      kafkaDir: path.join(cacheDir, 'kafka', 'node'),
      kafkaClusterDir: path.join(cacheDir, 'kafka', 'cluster'),
      clickhouseConfigTemplate: path.join(deploy, 'clickhouse', 'config.xml'),
      clickhouseUsersConfig: path.join(deploy, 'clickhouse', 'users.xml'),
      clickhouseDir: path.join(cacheDir, 'clickhouse'),
      redisDir: path.join(cacheDir, 'redis'),
      lockFile: path.join(cacheDir, 'stack.lock'),
    },
  };
}

/** The stack's endpoints; with `kafkaBrokerCount` > 1, every broker of the cluster. */
export function endpointsFor(ports: StackPorts, kafkaBrokerCount = 1): StackEndpoints {
  return {
    kafkaBrokers: clusterNodePorts(kafkaBrokerCount, ports.kafka, ports.kafkaController)
      .map((n) => `127.0.0.1:${n.port}`)
      .join(','),
    clickhouseUrl: `http://127.0.0.1:${ports.clickhouseHttp}`,
    redisUrl: `redis://127.0.0.1:${ports.redis}`,
  };
}

const PORT_VARIABLES: ReadonlyArray<[keyof StackPorts, string]> = [
  ['kafka', 'LLMOPS_STACK_KAFKA_PORT'],
  ['kafkaController', 'LLMOPS_STACK_KAFKA_CONTROLLER_PORT'],
  ['clickhouseHttp', 'LLMOPS_STACK_CLICKHOUSE_HTTP_PORT'],
  ['clickhouseTcp', 'LLMOPS_STACK_CLICKHOUSE_TCP_PORT'],
  ['redis', 'LLMOPS_STACK_REDIS_PORT'],
];

/**
 * Stack options from `LLMOPS_STACK_*` variables (pass `process.env`), on top of `base`:
 * `LLMOPS_STACK_REPO_ROOT` (default: findRepoRoot()), `LLMOPS_STACK_CACHE_DIR`,
 * `LLMOPS_STACK_KAFKA_BROKERS` (how many brokers, default 1),
 * `LLMOPS_STACK_KAFKA_PORT`, `LLMOPS_STACK_KAFKA_CONTROLLER_PORT`,
 * `LLMOPS_STACK_CLICKHOUSE_HTTP_PORT`, `LLMOPS_STACK_CLICKHOUSE_TCP_PORT`,
 * `LLMOPS_STACK_REDIS_PORT`, `LLMOPS_STACK_READY_TIMEOUT_MS`, `LLMOPS_STACK_KAFKA_HEAP_MB`,
 * `LLMOPS_STACK_INSTALL` (true/false).
 */
export function stackOptionsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  base: Partial<StackOptions> = {},
): StackOptions {
  const ports: Partial<StackPorts> = { ...base.ports };
  for (const [key, variable] of PORT_VARIABLES) {
    const value = integerVariable(env, variable);
    if (value !== undefined) ports[key] = value;
  }
  const options: StackOptions = {
    ...base,
    repoRoot: nonEmpty(env, 'LLMOPS_STACK_REPO_ROOT') ?? base.repoRoot ?? findRepoRoot(),
    ports,
  };
  const cacheDir = nonEmpty(env, 'LLMOPS_STACK_CACHE_DIR');
  if (cacheDir !== undefined) options.cacheDir = cacheDir;
  const readyTimeoutMs = integerVariable(env, 'LLMOPS_STACK_READY_TIMEOUT_MS');
  if (readyTimeoutMs !== undefined) options.readyTimeoutMs = readyTimeoutMs;
  const heap = integerVariable(env, 'LLMOPS_STACK_KAFKA_HEAP_MB');
  if (heap !== undefined) options.kafkaHeapMb = heap;
  const brokerCount = integerVariable(env, 'LLMOPS_STACK_KAFKA_BROKERS');
  if (brokerCount !== undefined) options.kafkaBrokerCount = brokerCount;
  const install = booleanVariable(env, 'LLMOPS_STACK_INSTALL');
  if (install !== undefined) options.install = install;
  return options;
}

function nonEmpty(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function integerVariable(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
): number | undefined {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) {
    throw new StackConfigError(
      `${name}="${raw}" is not a whole number (expected digits only, e.g. 9092)`,
    );
  }
  return Number(raw);
}

function booleanVariable(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
): boolean | undefined {
  const raw = nonEmpty(env, name)?.toLowerCase();
  if (raw === undefined) return undefined;
  if (['1', 'true', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'no'].includes(raw)) return false;
  throw new StackConfigError(
    `${name}="${raw}" is not a boolean (expected true/false, 1/0 or yes/no)`,
  );
}

function validatePorts(ports: StackPorts, kafkaNodes: readonly KafkaNodePorts[]): void {
  const seen = new Map<number, string>();
  const named: Array<[string, number]> = Object.entries(ports as unknown as Record<string, number>);
  // Nodes 2… of a cluster take the ports after node 1's.
  kafkaNodes.slice(1).forEach((n, i) => {
    named.push(
      [`kafka (node ${i + 2})`, n.port],
      [`kafkaController (node ${i + 2})`, n.controllerPort],
    );
  });
  for (const [key, port] of named) {
    if (!Number.isInteger(port) || port < 1 || port > 65_535) {
      throw new StackConfigError(
        `ports.${key}=${String(port)} is not a TCP port (expected a whole number 1-65535)`,
      );
    }
    const other = seen.get(port);
    if (other !== undefined)
      throw new StackConfigError(
        `ports.${key} and ports.${other} are both ${port}; each needs its own port`,
      );
    seen.set(port, key);
  }
}

function requirePositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new StackConfigError(
      `${name}=${String(value)} is invalid (expected a positive whole number)`,
    );
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The environment a stack child process (apt, dpkg, clickhouse) runs with: this
 * process's own, passed on as it is, plus `extra`. The stack reads no setting from it.
 */
export function childEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}
