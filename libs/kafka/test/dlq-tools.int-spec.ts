import { Partitioners, type Kafka, type Producer } from 'kafkajs';
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
  DlqHeaders,
  ReplayHeaders,
  createKafka,
  findDeadLetter,
  matchesFilter,
  readDeadLetters,
  replayDeadLetters,
  toDlqMessage,
  type DeadLetterRecord,
} from '../src';

const logger = createLogger('test', { level: 'silent' });

/** Messages in the topic: the sum of its partitions' end offsets (it is never trimmed in a test). */
async function messageCount(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    // A topic just created may be unknown to the broker for a moment.
    const offsets = await waitFor(`the offsets of ${topic}`, () => admin.fetchTopicOffsets(topic));
    return offsets.reduce((n, o) => n + Number(o.high), 0);
  } finally {
    await admin.disconnect();
  }
}

async function topicExists(kafka: Kafka, topic: string): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.listTopics()).includes(topic);
  } finally {
    await admin.disconnect();
  }
}

describe('DLQ tools against a real Kafka', () => {
  const kafka = createKafka({
    brokers: testEndpoints().kafkaBrokers.split(','),
    clientId: 'dlq-tools-test',
    logger,
  });
  const plain = testKafka('dlq-tools-test');
  let source: string;
  let dlq: string;
  let marksTopic: string;
  let producer: Producer;
  const created: string[] = [];

  beforeAll(async () => {
    // Idempotent: a produce that one partition's leader refuses ("not the leader" while the new
    // topic's metadata settles) is retried whole, and would write the other partition's twice.
    producer = plain.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
  });

  afterAll(async () => {
    await producer.disconnect();
    const admin = plain.admin();
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    await admin.deleteTopics({ topics: created.filter((t) => existing.has(t)) });
    await admin.disconnect();
  });

  beforeEach(async () => {
    source = uniqueName('t');
    dlq = dlqTopic(source);
    marksTopic = `${uniqueName('t')}.marks`;
    created.push(source, dlq, marksTopic);
    await createTestTopics(plain, [source], 2);
  });

  /** Dead-letters records the way the consumer runner does. */
  async function deadLetter(
    items: Array<{ key: string; value: string; error: string; name: string; group: string }>,
  ): Promise<void> {
    await producer.send({
      topic: dlq,
      acks: -1,
      messages: items.map((item, i) => {
        const dl = toDlqMessage({
          topic: source,
          partition: i % 2,
          message: {
            key: Buffer.from(item.key),
            value: Buffer.from(item.value),
            timestamp: String(Date.now()),
            attributes: 0,
            offset: String(100 + i),
            headers: { traceparent: `00-trace-${i}` },
          },
          error: Object.assign(new Error(item.error), { name: item.name }),
          attempts: 1,
          groupId: item.group,
        });
        return dl.message;
      }),
    });
  }

  const three = [
    { key: 'k1', value: 'v1', error: 'bad C3 01 header', name: 'DecodeError', group: 'g-a' },
    {
      key: 'k2',
      value: 'v2',
      error: 'tokens: is required',
      name: 'ContractValidationError',
      group: 'g-a',
    },
    {
      key: 'k3',
      value: 'v3',
      error: 'tokens: is required',
      name: 'ContractValidationError',
      group: 'g-b',
    },
  ];

  it('reads every dead letter of a DLQ to its end with where it came from and why', async () => {
    await deadLetter(three);
    const records = await readDeadLetters(kafka, [dlq]);
    expect(records).toHaveLength(3);
    const byKey = new Map(records.map((r) => [r.key?.toString(), r]));
    expect(byKey.get('k2')).toMatchObject({
      sourceTopic: source,
      sourcePartition: 1,
      sourceOffset: '101',
      consumerGroup: 'g-a',
      errorClass: 'ContractValidationError',
      error: 'tokens: is required',
      attempts: 1,
    });
    expect(byKey.get('k2')!.value).toEqual(Buffer.from('v2'));
  });

  it('finds one dead letter by its address, and nothing at an address that holds none', async () => {
    await deadLetter(three);
    const [first] = await readDeadLetters(kafka, [dlq]);
    const found = await findDeadLetter(kafka, first!.address);
    expect(found?.key).toEqual(first!.key);
    expect(await findDeadLetter(kafka, { ...first!.address, offset: '999' })).toBeUndefined();
  });

  it('reads an empty DLQ at once', async () => {
    await expect(readDeadLetters(kafka, [dlq])).resolves.toEqual([]);
  });

  it('replays the selected dead letters to the source once, even when run twice, and again only when asked', async () => {
    await deadLetter(three);
    const all = await readDeadLetters(kafka, [dlq]);
    const decodeErrors = all.filter((r) => matchesFilter(r, { errorClass: 'DecodeError' }));

    const dry = await replayDeadLetters(kafka, decodeErrors, { marksTopic, dryRun: true });
    expect(dry.replayed).toHaveLength(1);
    expect(await messageCount(kafka, source)).toBe(0);
    expect(await topicExists(kafka, marksTopic)).toBe(false);

    const first = await replayDeadLetters(kafka, decodeErrors, { marksTopic });
    expect(first.perTopic).toEqual({ [source]: 1 });
    const [back] = await readMessages(plain, source, 1);
    expect(back).toMatchObject({ key: 'k1', value: Buffer.from('v1') });
    expect(back!.headers).toEqual({
      traceparent: '00-trace-0',
      [ReplayHeaders.from]: `${decodeErrors[0]!.address.topic}/${decodeErrors[0]!.address.partition}/${decodeErrors[0]!.address.offset}`,
      [ReplayHeaders.at]: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    expect(Object.keys(back!.headers).some((h) => h.startsWith('llmops-dlq-'))).toBe(false);

    const rest = await replayDeadLetters(kafka, all, { marksTopic });
    expect(rest.perTopic).toEqual({ [source]: 2 });
    expect(rest.alreadyReplayed.map((r) => r.key?.toString())).toEqual(['k1']);

    const twice = await replayDeadLetters(kafka, all, { marksTopic });
    expect(twice.replayed).toEqual([]);
    expect(twice.alreadyReplayed).toHaveLength(3);
    expect(await messageCount(kafka, source)).toBe(3);
    const keys = (await readMessages(plain, source, 3)).map((m) => m.key).sort();
    expect(keys).toEqual(['k1', 'k2', 'k3']);

    const again = await replayDeadLetters(kafka, all, { marksTopic, again: true });
    expect(again.perTopic).toEqual({ [source]: 3 });
    expect(await messageCount(kafka, source)).toBe(6);
  });

  it('replays nothing when a source topic is missing, and says which', async () => {
    await deadLetter(three.slice(0, 1));
    const [r] = await readDeadLetters(kafka, [dlq]);
    const orphan = { ...r!, sourceTopic: `${source}.gone` };
    await expect(replayDeadLetters(kafka, [r!, orphan], { marksTopic })).rejects.toThrow(
      `cannot replay to ${source}.gone: no such topic`,
    );
    expect(await messageCount(kafka, source)).toBe(0);
    expect(await topicExists(kafka, marksTopic)).toBe(false);
  });

  it('takes an unreadable replay mark for no mark', async () => {
    await deadLetter(three.slice(0, 1));
    const [r] = await readDeadLetters(kafka, [dlq]);
    const address = `${r!.address.topic}/${r!.address.partition}/${r!.address.offset}`;
    await replayDeadLetters(kafka, [r!], { marksTopic });
    await producer.send({
      topic: marksTopic,
      acks: -1,
      messages: [{ key: address, value: '{oops' }],
    });
    const next = await replayDeadLetters(kafka, [r!], { marksTopic });
    expect(next.perTopic).toEqual({ [source]: 1 });
  });

  it('keeps the dead letters in their DLQ after a replay', async () => {
    await deadLetter(three.slice(0, 1));
    const records: DeadLetterRecord[] = await readDeadLetters(kafka, [dlq]);
    await replayDeadLetters(kafka, records, { marksTopic });
    const after = await readDeadLetters(kafka, [dlq]);
    expect(after).toHaveLength(1);
    expect(after[0]!.headers[DlqHeaders.error]?.toString()).toBe('bad C3 01 header');
  });
});
