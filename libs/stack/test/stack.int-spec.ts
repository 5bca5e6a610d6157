import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, Partitioners, type Admin } from 'kafkajs';
import {
  canConnect,
  ensureKafkaJars,
  findFreePorts,
  findRepoRoot,
  LocalKafka,
  stackDown,
  stackStatus,
  stackUp,
  type StackOptions,
} from '../src';
import { probeRedis } from '../src/redis/probe';

const repoRoot = findRepoRoot(__dirname);
const sharedJars = (): Promise<string> =>
  ensureKafkaJars({
    pomFile: path.join(repoRoot, 'deploy/local/kafka/pom.xml'),
    jarsDir: path.join(repoRoot, '.cache/kafka/libs'),
  });

async function produce(kafka: Kafka, topic: string, count: number): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    const messages = Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: `v${i}` }));
    await producer.send({ topic, messages });
  } finally {
    await producer.disconnect();
  }
}

/** Consumes with a consumer group until `count` messages arrived; returns their values. */
async function consume(
  kafka: Kafka,
  topic: string,
  groupId: string,
  count: number,
): Promise<string[]> {
  const consumer = kafka.consumer({ groupId });
  const values: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${values.length}/${count} messages within 60 s`)),
        60_000,
      );
      consumer
        .run({
          eachMessage: async ({ message }) => {
            values.push(message.value?.toString() ?? '');
            if (values.length === count) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return values.sort();
}

async function totalOffset(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
}

describe('LocalKafka', () => {
  let dir: string;
  let kafka: LocalKafka;
  let client: Kafka;
  const topic = `t-${randomUUID()}`;
  const groupId = `g-${randomUUID()}`;
  const expected = Array.from({ length: 20 }, (_, i) => `v${i}`).sort();
  const kafkaLog: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'llmops-local-kafka-'));
    const [port, controllerPort] = (await findFreePorts(2)) as [number, number];
    kafka = new LocalKafka({
      dir,
      port,
      controllerPort,
      jarsDir: await sharedJars(),
      heapMb: 384,
      log: (line) => kafkaLog.push(line),
    });
    client = new Kafka({
      clientId: 'stack-int-spec',
      brokers: [kafka.brokers],
      logLevel: logLevel.WARN,
    });
  }, 180_000);

  afterAll(async () => {
    await kafka.stop();
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it('starts on its own ports and carries messages from a producer to a consumer group', async () => {
    await kafka.start();
    expect(await kafka.runningPid()).toEqual(expect.any(Number));

    const admin = client.admin();
    await admin.connect();
    try {
      expect(
        await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true }),
      ).toBe(true);
      await produce(client, topic, 20);
      expect(await totalOffset(admin, topic)).toBe(20);
      expect(await consume(client, topic, groupId, 20)).toEqual(expected);
    } finally {
      await admin.disconnect();
    }
  }, 180_000);

  it('starts nothing from start() while it already runs: same broker, no start logged', async () => {
    const pid = await kafka.runningPid();
    const before = kafkaLog.length;
    await kafka.start();
    expect(kafkaLog.slice(before)).toEqual([]);
    expect(await kafka.runningPid()).toBe(pid);
  }, 30_000);

  it('refuses connections once stopped and serves the same data after a restart', async () => {
    await kafka.stop();
    expect(await kafka.runningPid()).toBeUndefined();
    expect(await canConnect(Number(kafka.brokers.split(':')[1]))).toBe(false);

    await kafka.start();
    const admin = client.admin();
    await admin.connect();
    try {
      expect(await admin.listTopics()).toContain(topic);
      expect(await totalOffset(admin, topic)).toBe(20);
      const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
      const committedTotal = committed[0]!.partitions.reduce((sum, p) => sum + Number(p.offset), 0);
      expect(committedTotal).toBe(20);
      expect(await consume(client, topic, `g-${randomUUID()}`, 20)).toEqual(expected);

      await admin.deleteTopics({ topics: [topic] });
      expect(await admin.listTopics()).not.toContain(topic);
    } finally {
      await admin.disconnect();
    }
  }, 180_000);
});

describe('stackUp / stackStatus / stackDown on their own ports and cache folder', () => {
  let options: StackOptions;
  let cacheDir: string;
  const stackLog: string[] = [];

  beforeAll(async () => {
    cacheDir = await mkdtemp(path.join(tmpdir(), 'llmops-stack-'));
    const [kafka, kafkaController, clickhouseHttp, clickhouseTcp, redis] = (await findFreePorts(
      5,
    )) as [number, number, number, number, number];
    options = {
      repoRoot,
      cacheDir,
      ports: { kafka, kafkaController, clickhouseHttp, clickhouseTcp, redis },
      kafkaJarsDir: await sharedJars(),
      kafkaHeapMb: 384,
      log: (line) => stackLog.push(line),
    };
  }, 180_000);

  afterAll(async () => {
    await stackDown(options);
    await rm(cacheDir, { recursive: true, force: true });
  }, 120_000);

  it('starts all three servers, then reuses them without starting anything', async () => {
    const endpoints = await stackUp(options);
    const ports = options.ports!;
    expect(endpoints).toEqual({
      kafkaBrokers: `127.0.0.1:${ports.kafka}`,
      clickhouseUrl: `http://127.0.0.1:${ports.clickhouseHttp}`,
      redisUrl: `redis://127.0.0.1:${ports.redis}`,
    });
    const answer = await fetch(`${endpoints.clickhouseUrl}/`, {
      method: 'POST',
      body: 'SELECT 40 + 2',
    });
    expect((await answer.text()).trim()).toBe('42');
    expect((await probeRedis(ports.redis!)).ready).toBe(true);

    const status = await stackStatus(options);
    expect(status.map((s) => [s.component, s.running, typeof s.pid])).toEqual([
      ['kafka', true, 'number'],
      ['clickhouse', true, 'number'],
      ['redis', true, 'number'],
    ]);

    const before = stackLog.length;
    await stackUp(options);
    // Reused: the same processes, and nothing started, formatted, fetched or installed.
    expect(
      stackLog.slice(before).filter((l) => /start|format|fetch|install|apt|maven/i.test(l)),
    ).toEqual([]);
    expect((await stackStatus(options)).map((s) => s.pid)).toEqual(status.map((s) => s.pid));
  }, 300_000);

  it('stops everything it started', async () => {
    await stackDown(options);
    const ports = options.ports!;
    for (const port of [
      ports.kafka,
      ports.kafkaController,
      ports.clickhouseHttp,
      ports.clickhouseTcp,
      ports.redis,
    ]) {
      expect(await canConnect(port!)).toBe(false);
    }
    const status = await stackStatus(options);
    expect(status.every((s) => !s.running && s.pid === undefined)).toBe(true);
  }, 120_000);
});
