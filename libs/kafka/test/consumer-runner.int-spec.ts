import { dlqTopic } from '@llmops/contracts';
import { createLogger } from '@llmops/observability';
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

  function run(handle: (records: ConsumedRecord<number>[]) => Promise<void>, maxAttempts = 3) {
    const runner = new ConsumerRunner<number>(kafka, {
      topic,
      groupId: uniqueName('g'),
      decode,
      handle,
      logger,
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

  it('retries a transient failure without dead-lettering and commits only after success', async () => {
    await publisher.publish(topic, [{ value: 'ok:7' }]);
    let calls = 0;
    const seen: number[] = [];
    await run(async (records) => {
      calls++;
      if (calls <= 4) throw new RetriableError('ClickHouse is down');
      seen.push(...records.map((r) => r.value));
    }, 1);
    await waitFor('the record handled after the outage', () => seen.length === 1);
    expect(seen).toEqual([7]);
    const admin = plain.admin();
    await admin.connect();
    const dlqEnd = await admin.fetchTopicOffsets(dlqTopic(topic));
    await admin.disconnect();
    expect(dlqEnd.every((p) => p.high === '0')).toBe(true);
  });
});
