import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin, type Consumer } from 'kafkajs';
import { notReady, ready, type ProbeResult } from '../wait';

/** A kafkajs client that fails fast and prints nothing: the wait loop does the retrying. */
function probeClient(brokers: string, timeoutMs: number): Kafka {
  return new Kafka({
    clientId: 'llmops-stack-probe',
    brokers: [brokers],
    connectionTimeout: Math.min(timeoutMs, 3_000),
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
}

async function withAdmin<T>(
  brokers: string,
  timeoutMs: number,
  use: (admin: Admin) => Promise<T>,
): Promise<T> {
  const admin = probeClient(brokers, timeoutMs).admin({ retry: { retries: 0 } });
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Ready when the broker answers Metadata and lists itself. */
export async function probeCluster(
  brokers: string,
  timeoutMs = 5_000,
): Promise<ProbeResult<string>> {
  return withAdmin(brokers, timeoutMs, async (admin) => {
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) return notReady('the cluster lists no broker yet');
    if (cluster.controller === null) return notReady('the cluster has no active controller yet');
    return ready(cluster.clusterId);
  });
}

/** Ready when a group coordinator answers (FindCoordinator creates __consumer_offsets on first use). */
export async function probeGroupCoordinator(
  brokers: string,
  timeoutMs = 5_000,
): Promise<ProbeResult<true>> {
  return withAdmin(brokers, timeoutMs, async (admin) => {
    // describeGroups looks the coordinator up through the broker pool, which the metadata fills.
    await admin.describeCluster();
    await admin.describeGroups([`llmops-stack-probe-${randomUUID()}`]);
    return ready(true as const);
  });
}

/**
 * Proves that a kafkajs consumer can join a group: a throwaway topic, a consumer that joins
 * and is assigned its partition, then both removed. The join itself may take a few seconds.
 */
export async function verifyGroupJoin(brokers: string, timeoutMs: number): Promise<void> {
  const id = randomUUID();
  const topic = `llmops-stack-ready-${id}`;
  const groupId = `llmops-stack-ready-${id}`;
  const kafka = probeClient(brokers, Math.min(timeoutMs, 10_000));
  await withAdmin(brokers, Math.min(timeoutMs, 10_000), async (admin) => {
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    // A short fetch wait: disconnect() waits for the in-flight fetch, 5 s by default.
    const consumer = kafka.consumer({ groupId, retry: { retries: 3 }, maxWaitTimeInMs: 100 });
    try {
      await joinOnce(consumer, topic, timeoutMs);
    } finally {
      await consumer.disconnect().catch(() => undefined);
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    }
  });
}

async function joinOnce(consumer: Consumer, topic: string, timeoutMs: number): Promise<void> {
  await consumer.connect();
  await consumer.subscribe({ topics: [topic] });
  let timer: NodeJS.Timeout | undefined;
  const joined = new Promise<void>((resolve, reject) => {
    consumer.on(consumer.events.GROUP_JOIN, () => resolve());
    consumer.on(consumer.events.CRASH, (event) => reject(event.payload.error));
    timer = setTimeout(() => reject(new Error(`no group join within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await consumer.run({ eachMessage: async () => undefined });
    await joined;
  } finally {
    clearTimeout(timer);
  }
}
