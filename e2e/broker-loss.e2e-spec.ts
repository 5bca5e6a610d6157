import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { INestApplicationContext } from '@nestjs/common';
import Redis from 'ioredis';
import type { Admin } from 'kafkajs';
import { createKafka } from '@llmops/kafka';
import { createLogger, type Logger } from '@llmops/observability';
import { UsageKeys, UsageReader } from '@llmops/pricing';
import { LocalKafkaCluster, ensureKafkaJars, findFreePorts, type LocalKafka } from '@llmops/stack';
import { testEndpoints, uniqueName, waitFor } from '@llmops/testing';
import { loadAccountantConfig, startTokenAccountant } from '../services/token-accountant/src';
import { ClusterPipeline } from './cluster-pipeline';
import { piiEvent, repoRoot, silent } from './pipeline-harness';

const BATCHES = 120;
const BATCH_EVENTS = 25; // 3,000 events in all
/** Batches posted before the killed broker is back in sync… */
const BEFORE_RECOVERY = 90;
/** …then until the cluster has moved leadership back to it (preferred leaders); the rest after. */
const BEFORE_LEADERS_BACK = 105;
const KILL_AT_ACCEPTED = 750;
const RESTART_AT_ACCEPTED = 1_500;
const CLIENTS = 3;
/** Each client's pause between two batches: sustained load, not a flood, on two shared cores. */
const PACE_MS = 150;

type Event = ReturnType<typeof piiEvent>;
interface Answer {
  /** When the answer came, and how long the request took. */
  at: number;
  ms: number;
  status: number;
  code?: string;
  message?: string;
  retryAfter: string | null;
}

/**
 * A three-broker cluster of its own (free ports, a temporary folder under .cache) with every
 * platform topic at 3 replicas and min.insync.replicas 2. Clients post 3,000 events while one
 * broker is killed with SIGKILL and later restarted; a client that gets a 503 retries the same
 * events (same event_id) after Retry-After, as a real producer does. Load goes on through both
 * leader changes: away from the killed broker, and back to it once it is in sync again. Nothing
 * accepted may be lost or counted twice, nothing may be dead-lettered, and 503s may only come
 * from the leader elections between the kill and the cluster's recovery.
 */
describe('losing one broker of three under sustained load', () => {
  let dir: string;
  let cluster: LocalKafkaCluster;
  let p: ClusterPipeline;
  let accountant: INestApplicationContext | undefined;
  let admin: Admin;
  let redis: Redis;
  const redisPrefix = `${uniqueName('t-loss')}:`;
  const accountantGroup = uniqueName('acct');
  let logFile: string;
  let logger: Logger;

  /** Where each consumer group stands, and the services' last warnings: why a wait failed. */
  const diagnose = async (err: unknown): Promise<never> => {
    const groups: Array<[string, string]> = [
      [`${p.prefix}scanner`, p.topics.invocations],
      [accountantGroup, p.topics.invocations],
      [p.sinkGroup, p.topics.invocationsRedacted],
    ];
    const lag: Record<string, unknown> = {};
    for (const [groupId, topic] of groups) {
      const ends = await admin.fetchTopicOffsets(topic).catch(() => []);
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] }).catch(() => []);
      lag[`${groupId} on ${topic}`] = ends.map((end) => ({
        partition: end.partition,
        end: end.high,
        committed: committed?.partitions.find((c) => c.partition === end.partition)?.offset,
      }));
    }
    const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n') : [];
    console.log(
      `broker loss diagnosis: ${JSON.stringify(lag, null, 1)}\nlast service warnings:\n${log.slice(-40).join('\n')}`,
    );
    throw err;
  };

  beforeAll(async () => {
    const cacheDir = path.join(repoRoot, '.cache');
    fs.mkdirSync(cacheDir, { recursive: true });
    dir = fs.mkdtempSync(path.join(cacheDir, 'e2e-broker-loss-'));
    const jarsDir = await ensureKafkaJars({
      pomFile: path.join(repoRoot, 'deploy/local/kafka/pom.xml'),
      jarsDir: path.join(cacheDir, 'kafka/libs'),
    });
    const ports = await findFreePorts(6);
    cluster = new LocalKafkaCluster({
      dir,
      nodes: [0, 1, 2].map((i) => ({ port: ports[2 * i]!, controllerPort: ports[2 * i + 1]! })),
      jarsDir,
      heapMb: 320,
      // Move leadership back to the restarted broker within seconds (Kafka checks every 300 s),
      // so that clients also meet the second leader change of a failover under load.
      overrides: { 'leader.imbalance.check.interval.seconds': 5 },
    });
    await cluster.start();
    const e = testEndpoints();
    // Warnings and errors of the services, printed when the test fails.
    logFile = path.join(dir, 'services.log');
    logger = createLogger('broker-loss', {
      level: 'warn',
      destination: fs.createWriteStream(logFile),
    });
    p = await new ClusterPipeline({
      kafkaBrokers: cluster.brokers,
      clickhouseUrl: e.clickhouseUrl,
      replicationFactor: 3,
      logger,
      env: { REDIS_URL: e.redisUrl, REDIS_KEY_PREFIX: redisPrefix, INGRESS_ACK_TIMEOUT_MS: '5000' },
    }).start();
    accountant = await startTokenAccountant(
      loadAccountantConfig({
        ...p.env(),
        REDIS_URL: e.redisUrl,
        REDIS_KEY_PREFIX: redisPrefix,
        ACCOUNTANT_GROUP_ID: accountantGroup,
      }),
      logger,
    );
    admin = createKafka({
      brokers: cluster.brokers.split(','),
      clientId: 'e2e-broker-loss',
      logger: silent,
    }).admin();
    await admin.connect();
    redis = new Redis(e.redisUrl);
  }, 240_000);

  afterAll(async () => {
    await admin?.disconnect().catch(() => undefined);
    await accountant?.close();
    await p?.stop();
    await cluster?.stop();
    if (redis !== undefined) {
      const keys = await redis.keys(`${redisPrefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    }
    if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('keeps every accepted event exactly once, dead-letters nothing and answers 503 only around the leader election', async () => {
    const key = await p.key('acme');
    const startTimeMs = Date.now() - 60_000;
    const batches: Event[][] = Array.from({ length: BATCHES }, () =>
      Array.from({ length: BATCH_EVENTS }, () => piiEvent({ start_time_ms: startTimeMs })),
    );
    const accepted = new Map<string, Event>();
    const batchOf = new Map(batches.flatMap((b, i) => b.map((e) => [e.event_id as string, i])));
    const acceptedAt = new Map<number, number>();
    const answers: Answer[] = [];
    let failure: Error | undefined;
    let recovered = (): void => undefined;
    const recovery = new Promise<void>((resolve) => (recovered = resolve));
    let leadersBack = (): void => undefined;
    const leadership = new Promise<void>((resolve) => (leadersBack = resolve));

    const postUntilAccepted = async (index: number): Promise<void> => {
      const batch = batches[index]!;
      for (let attempt = 1; ; attempt++) {
        const sent = Date.now();
        const res = await p.post(key, batch);
        answers.push({
          at: Date.now(),
          ms: Date.now() - sent,
          status: res.status,
          code: res.json?.error?.code as string | undefined,
          message: res.json?.error?.message as string | undefined,
          retryAfter: res.retryAfter,
        });
        if (res.status === 202) {
          expect(res.json.event_ids).toEqual(batch.map((e) => e.event_id));
          for (const event of batch) accepted.set(event.event_id as string, event);
          acceptedAt.set(index, Date.now());
          return;
        }
        if (res.status !== 503 || attempt >= 30) {
          throw new Error(
            `attempt ${attempt}: ${res.status} ${JSON.stringify(res.json)} (expected 202, or 503 while Kafka fails over)`,
          );
        }
        // As a real producer does: wait as long as Retry-After says, then send the same events.
        await sleep(Number(res.retryAfter ?? '1') * 1_000);
      }
    };
    let next = 0;
    const client = async (): Promise<void> => {
      for (let i = next++; i < BATCHES; i = next++) {
        if (i >= BEFORE_RECOVERY) await recovery;
        if (i >= BEFORE_LEADERS_BACK) await leadership;
        await postUntilAccepted(i);
        await sleep(PACE_MS);
      }
    };
    const load = Promise.all(Array.from({ length: CLIENTS }, client)).catch((err: Error) => {
      failure = err;
    });
    /** waitFor that gives up at once when a client failed. */
    const until = async <T>(
      what: string,
      probe: () => Promise<T | undefined | false>,
      timeoutMs: number,
    ): Promise<T> => {
      const result = await waitFor(what, async () => failure ?? (await probe()), {
        timeoutMs,
        intervalMs: 250,
      }).catch((err: unknown) => {
        // What the clients were told meanwhile.
        const refused = answers.filter((a) => a.status !== 202);
        const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n') : [];
        console.log(
          `broker loss: gave up waiting for ${what}; ${accepted.size} events accepted, ${refused.length} requests refused: ${JSON.stringify(countBy(refused.map(reasonOf)), null, 1)}\nlast service warnings:\n${log
            .slice(-20)
            .map((line) => line.slice(0, 400))
            .join('\n')}`,
        );
        throw err;
      });
      if (failure) throw failure;
      return result as T;
    };

    const loadStarted = Date.now();
    await until(
      `${KILL_AT_ACCEPTED} accepted events`,
      async () => accepted.size >= KILL_AT_ACCEPTED,
      60_000,
    );
    const victimId = await leaderOf(admin, p.topics.invocations, 0);
    const victim = cluster.node(victimId);
    const victimPid = (await victim.runningPid())!;
    const killedAt = Date.now();
    process.kill(victimPid, 'SIGKILL');
    const acceptedAtKill = accepted.size;

    const topics = [...p.topicList, '__consumer_offsets'];
    await until(
      `broker ${victimId} to be fenced (no longer leader or in sync anywhere)`,
      async () =>
        (await partitions(admin, topics)).every(
          (q) => q.leader !== victimId && !q.isr.includes(victimId),
        ),
      60_000,
    );
    const fencedAt = Date.now();
    await until(
      `${RESTART_AT_ACCEPTED} accepted events with broker ${victimId} down`,
      async () => accepted.size >= RESTART_AT_ACCEPTED,
      90_000,
    );
    const acceptedWhileDown = accepted.size - acceptedAtKill;
    const restartedAt = Date.now();
    await restart(victim);
    const readyAt = Date.now();
    await until(
      `broker ${victimId} back in sync on every partition`,
      async () => (await partitions(admin, topics)).every((q) => q.isr.length === 3),
      90_000,
    );
    const inSyncAt = Date.now();
    recovered();
    await until(
      `every partition led by its preferred replica again (broker ${victimId} included)`,
      async () => (await partitions(admin, topics)).every((q) => q.leader === q.replicas[0]),
      90_000,
    );
    const leadersBackAt = Date.now();
    leadersBack();
    await until(
      'every batch accepted',
      async () => accepted.size === BATCHES * BATCH_EVENTS,
      120_000,
    );
    await load;
    const loadDoneAt = Date.now();

    const refused = answers.filter((a) => a.status === 503);
    const first503 = refused[0]?.at;
    const last503 = refused.at(-1)?.at;
    const ms = (at: number | undefined): number | null => (at === undefined ? null : at - killedAt);
    const slowest = (from: number, to: number): number =>
      Math.max(0, ...answers.filter((a) => a.at >= from && a.at <= to).map((a) => a.ms));
    console.log(
      `broker loss: ${JSON.stringify(
        {
          events: BATCHES * BATCH_EVENTS,
          requests: answers.length,
          answered503: refused.length,
          window503Ms: first503 === undefined || last503 === undefined ? 0 : last503 - first503,
          first503AfterKillMs: ms(first503),
          last503AfterKillMs: ms(last503),
          answered503AfterFenced: refused.filter((a) => a.at > fencedAt).length,
          // Why, as the ingress said it (Kafka's error, numbers and ids stripped).
          reasons503: countBy(refused.map(reasonOf)),
          slowest202BeforeKillMs: slowest(loadStarted, killedAt),
          slowestAnswerKillToFencedMs: slowest(killedAt, fencedAt),
          slowestAnswerAfterFencedMs: slowest(fencedAt, loadDoneAt),
          acceptedWhileDown,
          fencedAfterKillMs: fencedAt - killedAt,
          restartTookMs: readyAt - restartedAt,
          inSyncAfterKillMs: inSyncAt - killedAt,
          leadersBackAfterKillMs: leadersBackAt - killedAt,
          loadMs: loadDoneAt - loadStarted,
        },
        null,
        1,
      )}`,
    );

    // 503s only while Kafka failed over, each with the code and a Retry-After; none before
    // the kill, none once all three replicas were back in sync.
    for (const a of refused) {
      expect(a.code).toBe('kafka_unavailable');
      expect(Number(a.retryAfter)).toBeGreaterThan(0);
      expect(a.at).toBeGreaterThanOrEqual(killedAt);
      expect(a.at).toBeLessThanOrEqual(leadersBackAt);
    }
    expect(answers.filter((a) => a.status !== 202 && a.status !== 503)).toEqual([]);

    // Each consumer commits only after its side effect: once the scanner and the accountant
    // have committed the raw topic's end, and then the sink the redacted topic's end, every
    // record in Kafka is in ClickHouse and counted in Redis.
    await until(
      'every consumer group to catch up with its topic',
      async () =>
        (await lag(admin, `${p.prefix}scanner`, p.topics.invocations)) === 0 &&
        (await lag(admin, accountantGroup, p.topics.invocations)) === 0 &&
        (await lag(admin, p.sinkGroup, p.topics.invocationsRedacted)) === 0,
      120_000,
    ).catch(diagnose);

    // ClickHouse: every accepted event, once.
    const ids = await p.rows<{ event_id: string }>('SELECT event_id FROM {db}.invocations FINAL');
    const storedIds = new Set(ids.map((r) => r.event_id));
    const missing = [...accepted.keys()].filter((id) => !storedIds.has(id));
    // Which requests the lost events were accepted by, and when (ms after the kill).
    const lostFrom = [...new Set(missing.map((id) => batchOf.get(id)!))].map((i) => ({
      batch: i,
      lost: batches[i]!.filter((e) => !storedIds.has(e.event_id as string)).length,
      acceptedAfterKillMs: acceptedAt.get(i)! - killedAt,
    }));
    expect({ missing: missing.length, lostFrom }).toEqual({ missing: 0, lostFrom: [] });
    const [stored] = await p.rows<{ n: number; ids: number }>(
      'SELECT count() AS n, uniqExact(event_id) AS ids FROM {db}.invocations FINAL',
    );
    expect(stored).toEqual({ n: accepted.size, ids: accepted.size });

    // Redis: the accountant counted each accepted event once, tokens included.
    const tokens = { input: 0, output: 0 };
    for (const event of accepted.values()) {
      const usage = event.usage as { input_tokens: number; output_tokens: number };
      tokens.input += usage.input_tokens;
      tokens.output += usage.output_tokens;
    }
    const reader = new UsageReader(redis, new UsageKeys(redisPrefix));
    const usage = (await reader.usage('acme', 'tenant', 'day', startTimeMs)).total;
    expect(usage).toMatchObject({
      requests: accepted.size,
      input_tokens: tokens.input,
      output_tokens: tokens.output,
    });

    // Nothing dead-lettered.
    const dlqs = p.topicList.filter((t) => t.endsWith('.dlq'));
    expect(dlqs.length).toBeGreaterThan(0);
    const dead: Array<{ topic: string; records: number }> = [];
    for (const topic of dlqs) {
      // One at a time: concurrent fetchTopicOffsets calls of one kafkajs admin mix their replies.
      const offsets = await admin.fetchTopicOffsets(topic);
      dead.push({
        topic,
        records: offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0),
      });
    }
    expect(dead.filter((d) => d.records > 0)).toEqual([]);
  }, 360_000);
});

interface PartitionState {
  topic: string;
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
}

async function partitions(admin: Admin, topics: string[]): Promise<PartitionState[]> {
  const { topics: described } = await admin.fetchTopicMetadata({ topics });
  return described.flatMap((t) =>
    t.partitions.map((q) => ({
      topic: t.name,
      partition: q.partitionId,
      leader: q.leader,
      replicas: q.replicas,
      isr: q.isr,
    })),
  );
}

/** The ingress's answer, without the numbers and ids that make each message unique. */
function reasonOf(a: Answer): string {
  return `${a.status} ${(a.message ?? '').replace(/[0-9a-f-]{8,}|\d+/g, '#')}`;
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

/** Records of `topic` that `groupId` has not committed yet. */
async function lag(admin: Admin, groupId: string, topic: string): Promise<number> {
  const ends = await admin.fetchTopicOffsets(topic);
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return ends.reduce((sum, end) => {
    const offset = Number(committed?.partitions.find((c) => c.partition === end.partition)?.offset);
    return sum + Number(end.high) - (offset >= 0 ? offset : Number(end.low));
  }, 0);
}

async function leaderOf(admin: Admin, topic: string, partition: number): Promise<number> {
  const state = (await partitions(admin, [topic])).find((q) => q.partition === partition);
  if (state === undefined) throw new Error(`${topic} has no partition ${partition}`);
  return state.leader;
}

/** Starts the killed node again on its data (log recovery after the SIGKILL included). */
async function restart(node: LocalKafka): Promise<void> {
  await waitFor(
    'the killed broker to be gone',
    async () => (await node.runningPid()) === undefined,
  );
  await node.start();
}
