import path from 'node:path';
import { StackConfigError } from './errors';
import { DEFAULT_PORTS, endpointsFor, resolveStackOptions, stackOptionsFromEnv } from './options';

describe('resolveStackOptions', () => {
  it('fills in the default ports, the cache folder under the repo and the deploy/local paths', () => {
    const resolved = resolveStackOptions({ repoRoot: '/repo' });
    expect(resolved.ports).toEqual({
      kafka: 9092,
      kafkaController: 9093,
      clickhouseHttp: 8123,
      clickhouseTcp: 9000,
      redis: 6379,
    });
    expect(resolved.cacheDir).toBe('/repo/.cache');
    expect(resolved.readyTimeoutMs).toBe(120_000);
    expect(resolved.components).toEqual(['kafka', 'clickhouse', 'redis']);
    expect(resolved.paths.kafkaPom).toBe('/repo/deploy/local/kafka/pom.xml');
    expect(resolved.paths.kafkaJarsDir).toBe('/repo/.cache/kafka/libs');
    expect(resolved.paths.clickhouseConfigTemplate).toBe(
      '/repo/deploy/local/clickhouse/config.xml',
    );
  });

  it('keeps the given ports and ignores ports given as undefined', () => {
    const resolved = resolveStackOptions({
      repoRoot: '/repo',
      ports: { kafka: 19092, redis: undefined },
    });
    expect(resolved.ports.kafka).toBe(19092);
    expect(resolved.ports.redis).toBe(6379);
  });

  it('resolves a relative cache folder against the repo root', () => {
    expect(resolveStackOptions({ repoRoot: '/repo', cacheDir: 'tmp/c' }).cacheDir).toBe(
      path.resolve('/repo/tmp/c'),
    );
  });

  it('rejects a port outside 1-65535 and two components on one port', () => {
    expect(() => resolveStackOptions({ repoRoot: '/r', ports: { kafka: 70_000 } })).toThrow(
      /ports\.kafka=70000 is not a TCP port/,
    );
    expect(() => resolveStackOptions({ repoRoot: '/r', ports: { clickhouseTcp: 9092 } })).toThrow(
      StackConfigError,
    );
  });

  it('runs one broker by default; a cluster of three gets node ports after node 1 and 384 MB each', () => {
    const single = resolveStackOptions({ repoRoot: '/repo' });
    expect(single.kafkaBrokerCount).toBe(1);
    expect(single.kafkaNodes).toEqual([{ port: 9092, controllerPort: 9093 }]);
    expect(single.kafkaHeapMb).toBe(512);
    const cluster = resolveStackOptions({ repoRoot: '/repo', kafkaBrokerCount: 3 });
    expect(cluster.kafkaNodes).toEqual([
      { port: 9092, controllerPort: 9093 },
      { port: 9094, controllerPort: 9095 },
      { port: 9096, controllerPort: 9097 },
    ]);
    expect(cluster.kafkaHeapMb).toBe(384);
    expect(cluster.paths.kafkaClusterDir).toBe('/repo/.cache/kafka/cluster');
    expect(
      resolveStackOptions({ repoRoot: '/r', kafkaBrokerCount: 3, kafkaHeapMb: 256 }).kafkaHeapMb,
    ).toBe(256);
  });

  it('rejects a broker count outside 1-9 and cluster ports that collide with another server', () => {
    expect(() => resolveStackOptions({ repoRoot: '/r', kafkaBrokerCount: 0 })).toThrow(
      /kafkaBrokerCount=0 is invalid/,
    );
    expect(() => resolveStackOptions({ repoRoot: '/r', kafkaBrokerCount: 10 })).toThrow(
      StackConfigError,
    );
    // Node 2 would take 9094, which ClickHouse was given.
    expect(() =>
      resolveStackOptions({ repoRoot: '/r', kafkaBrokerCount: 3, ports: { clickhouseTcp: 9094 } }),
    ).toThrow(/node 2.*9094/);
  });

  it('rejects an unknown component', () => {
    expect(() =>
      resolveStackOptions({ repoRoot: '/r', components: ['kafka', 'zookeeper' as 'kafka'] }),
    ).toThrow(/zookeeper/);
  });
});

describe('stackOptionsFromEnv', () => {
  it('reads the LLMOPS_STACK_* variables', () => {
    const options = stackOptionsFromEnv({
      LLMOPS_STACK_REPO_ROOT: '/repo',
      LLMOPS_STACK_CACHE_DIR: '/tmp/cache',
      LLMOPS_STACK_KAFKA_PORT: '19092',
      LLMOPS_STACK_KAFKA_CONTROLLER_PORT: '19093',
      LLMOPS_STACK_CLICKHOUSE_HTTP_PORT: '18123',
      LLMOPS_STACK_CLICKHOUSE_TCP_PORT: '19000',
      LLMOPS_STACK_REDIS_PORT: '16379',
      LLMOPS_STACK_READY_TIMEOUT_MS: '5000',
      LLMOPS_STACK_KAFKA_HEAP_MB: '384',
      LLMOPS_STACK_INSTALL: 'false',
      LLMOPS_STACK_KAFKA_BROKERS: '3',
    });
    expect(options).toEqual({
      repoRoot: '/repo',
      cacheDir: '/tmp/cache',
      ports: {
        kafka: 19092,
        kafkaController: 19093,
        clickhouseHttp: 18123,
        clickhouseTcp: 19000,
        redis: 16379,
      },
      readyTimeoutMs: 5000,
      kafkaHeapMb: 384,
      kafkaBrokerCount: 3,
      install: false,
    });
  });

  it('keeps the base options where no variable is set', () => {
    const log = (): void => undefined;
    const options = stackOptionsFromEnv(
      { LLMOPS_STACK_REDIS_PORT: ' ' },
      { repoRoot: '/base', log, ports: { kafka: 1 } },
    );
    expect(options).toEqual({ repoRoot: '/base', log, ports: { kafka: 1 } });
  });

  it('names the variable and the expected format when a value is invalid', () => {
    expect(() =>
      stackOptionsFromEnv({ LLMOPS_STACK_REPO_ROOT: '/r', LLMOPS_STACK_KAFKA_PORT: '90 92' }),
    ).toThrow(
      'LLMOPS_STACK_KAFKA_PORT="90 92" is not a whole number (expected digits only, e.g. 9092)',
    );
    expect(() =>
      stackOptionsFromEnv({ LLMOPS_STACK_REPO_ROOT: '/r', LLMOPS_STACK_INSTALL: 'maybe' }),
    ).toThrow(/LLMOPS_STACK_INSTALL/);
  });
});

describe('endpointsFor', () => {
  it('builds loopback endpoints', () => {
    expect(endpointsFor(DEFAULT_PORTS)).toEqual({
      kafkaBrokers: '127.0.0.1:9092',
      clickhouseUrl: 'http://127.0.0.1:8123',
      redisUrl: 'redis://127.0.0.1:6379',
    });
  });

  it('lists every broker of a cluster, comma-separated, as KAFKA_BROKERS takes them', () => {
    expect(endpointsFor(DEFAULT_PORTS, 3).kafkaBrokers).toBe(
      '127.0.0.1:9092,127.0.0.1:9094,127.0.0.1:9096',
    );
  });
});
