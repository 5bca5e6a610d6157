import { dlqTopic } from '@llmops/contracts';
import { consumerMetrics, createLogger, createMetricsRegistry } from '@llmops/observability';
import {
  createTestTopics,
  readMessages,
  testEndpoints,
  testKafka,
  uniqueName,
  waitFor,
} from '@llmops/testing';
import {
  ConsumerRunner,
  DeploymentFaultError,
  DlqHeaders,
  EventPublisher,
  RetriableError,
  createKafka,
  type ConsumedRecord,
} from '../src';

const logger = createLogger('test', { level: 'silent' });

function kafkaClient() {
  return createKafka({
    brokers: testEndpoints().kafkaBrokers.split(','),
    clientId: 'consumer-runner-test',
    logger,
  });
}

/** Decodes `ok:<n>` values; anything else is poison. */
function decode(m: { value: Buffer | null }): number {
  const text = m.value?.toString() ?? '';
  const match = /^ok:(\d+)$/.exec(text);
  if (!match) throw new Error(`not an ok:<n> record: ${JSON.stringify(text.slice(0, 20))}`);
  return Number(match[1]);
}

describe('ConsumerRunner', () => {
  const kafka = kafkaClient();
  const plain = testKafka();
  let topic: string;
  let publisher: EventPublisher;
  const runners: Array<ConsumerRunner<number>> = [];

  beforeEach(async () => {
    topic = uniqueName('t-runner');
    await createTestTopics(plain, [topic], 1);
    publisher = new EventPublisher(kafka, logger);
    await publisher.connect();
  });

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    await publisher.disconnect();
  });

  let groupId: string;
  let metrics: ReturnType<typeof consumerMetrics>;

  function run(handle: (records: ConsumedRecord<number>[]) => Promise<void>, maxAttempts = 3) {
    groupId = uniqueName('g');
    metrics = consumerMetrics(createMetricsRegistry('consumer-runner-test'));
    const runner = new ConsumerRunner<number>(kafka, {
      topic,
      groupId,
      decode,
      handle,
      logger,
      metrics,
      maxAttempts,
      retryBaseMs: 10,
      maxWaitTimeInMs: 100,
      fromBeginning: true,
    });
    runners.push(runner);
    return runner.start();
  }

  it('sends an undecodable message to the DLQ with the reason and keeps the partition flowing', async () => {
    await publisher.publish(topic, [
      { value: 'ok:1' },
      { key: 'k', value: Buffer.from([0xff, 0x00, 0x13]) },
      { value: 'ok:2' },
    ]);
    const seen: number[] = [];
    await run(async (records) => void seen.push(...records.map((r) => r.value)));
    await waitFor('both good records handled', () => seen.length === 2);
    expect(seen).toEqual([1, 2]);
    const [dead] = await readMessages(plain, dlqTopic(topic), 1);
    expect(dead!.value).toEqual(Buffer.from([0xff, 0x00, 0x13]));
    expect(dead!.key).toBe('k');
    expect(dead!.headers[DlqHeaders.error]).toMatch(/not an ok:<n> record/);
    expect(dead!.headers[DlqHeaders.sourceTopic]).toBe(topic);
    expect(dead!.headers[DlqHeaders.sourceOffset]).toBe('1');
  });

  it('dead-letters only the record the handler keeps rejecting, after bounded retries', async () => {
    await publisher.publish(
      topic,
      [1, 2, 3, 4].map((n) => ({ value: `ok:${n}` })),
    );
    const done: number[] = [];
    let attemptsOn3 = 0;
    await run(async (records) => {
      if (records.some((r) => r.value === 3)) {
        if (records.length === 1) attemptsOn3++;
        throw new Error('record 3 violates a rule');
      }
      done.push(...records.map((r) => r.value));
    }, 3);
    const [dead] = await readMessages(plain, dlqTopic(topic), 1);
    expect(decode(dead!)).toBe(3);
    expect(dead!.headers[DlqHeaders.attempts]).toBe('3');
    await waitFor('the other records handled', () => done.length === 3);
    expect(done.sort()).toEqual([1, 2, 4]);
    expect(attemptsOn3).toBe(3);
  });

  /** The group's committed offset of partition 0, or -1 when none is committed. */
  async function committed(): Promise<string> {
    const admin = plain.admin();
    await admin.connect();
    try {
      const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return t!.partitions.find((p) => p.partition === 0)!.offset;
    } finally {
      await admin.disconnect();
    }
  }

  async function dlqSize(): Promise<number> {
    const admin = plain.admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(dlqTopic(topic));
      return ends.reduce((n, p) => n + Number(p.high), 0);
    } finally {
      await admin.disconnect();
    }
  }

  async function pausedGauge(fault: string): Promise<number> {
    const { values } = await metrics.paused.get();
    return values.find((v) => v.labels.fault === fault && v.labels.partition === '0')?.value ?? 0;
  }

  it('retries a transient failure without dead-lettering and commits only after success', async () => {
    await publisher.publish(topic, [{ value: 'ok:7' }]);
    let calls = 0;
    let release!: () => void;
    const outageOver = new Promise<void>((r) => (release = r));
    const seen: number[] = [];
    await run(async (records) => {
      calls++;
      if (calls <= 4) throw new RetriableError('ClickHouse is down');
      await outageOver;
      seen.push(...records.map((r) => r.value));
    }, 1);
    await waitFor('five tries of the handler', () => calls >= 5);
    // The side effect has not happened yet: nothing may be committed.
    expect(await committed()).toBe('-1');
    release();
    await waitFor('the record handled after the outage', () => seen.length === 1);
    await waitFor('the offset after the record committed', async () => (await committed()) === '1');
    expect(seen).toEqual([7]);
    expect(await dlqSize()).toBe(0);
  });

  it('dead-letters a record fault at once, without retries', async () => {
    await publisher.publish(topic, [{ value: 'ok:1' }, { value: 'ok:2' }]);
    const tries = new Map<number, number>();
    const done: number[] = [];
    await run(async (records) => {
      for (const r of records) tries.set(r.value, (tries.get(r.value) ?? 0) + 1);
      if (records.some((r) => r.value === 2)) {
        throw Object.assign(new Error('record 2 is invalid'), { retriable: false });
      }
      done.push(...records.map((r) => r.value));
    }, 5);
    const [dead] = await readMessages(plain, dlqTopic(topic), 1);
    expect(decode(dead!)).toBe(2);
    expect(dead!.headers[DlqHeaders.attempts]).toBe('1');
    await waitFor('the good record handled', () => done.includes(1));
    // Once in the batch, once alone: never retried.
    expect(tries.get(2)).toBe(2);
    await waitFor('both offsets committed', async () => (await committed()) === '2');
  });

  it('pauses on a deployment fault, dead-letters nothing, says so in a metric, and resumes once it is fixed', async () => {
    await publisher.publish(topic, [{ value: 'ok:1' }, { value: 'ok:2' }]);
    let tableExists = false;
    let calls = 0;
    const stored: number[] = [];
    await run(async (records) => {
      calls++;
      if (!tableExists) {
        throw new DeploymentFaultError('UNKNOWN_TABLE invocations', 'run llmops migrate');
      }
      stored.push(...records.map((r) => r.value));
    }, 2);
    // Far more failures than maxAttempts (2): a deployment fault is never counted against the records.
    await waitFor('the handler failing on the missing table several times', () => calls >= 6);
    expect(await pausedGauge('deployment')).toBe(1);
    expect(await committed()).toBe('-1');
    expect(await dlqSize()).toBe(0);
    tableExists = true;
    await waitFor('both records stored once the table is back', () => stored.length === 2);
    expect(stored.sort()).toEqual([1, 2]);
    await waitFor('offsets committed', async () => (await committed()) === '2');
    expect(await pausedGauge('deployment')).toBe(0);
    expect(await dlqSize()).toBe(0);
  });
});
