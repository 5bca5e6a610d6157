import type { Kafka, Message, ProducerBatch, ProducerConfig } from 'kafkajs';
import type { Logger } from '@llmops/observability';
import { KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { PublishRejectedError, PublishUnavailableError } from './errors';
import { EventPublisher, type PublisherOptions } from './publisher';

interface Deferred {
  resolve: (droppedPartitions?: number[]) => void;
  reject: (err: unknown) => void;
}

/**
 * A stand-in for the kafkajs producer: every sendBatch call is recorded and
 * stays pending until the test acknowledges (or fails) it.
 */
function fakeKafka() {
  const sent: ProducerBatch[] = [];
  const acks: Deferred[] = [];
  const partitionMetadata = [0, 1, 2].map((partitionId) => ({
    partitionId,
    leader: 0,
    replicas: [0],
    isr: [0],
    partitionErrorCode: 0,
  }));
  let partitioner: ReturnType<NonNullable<ProducerConfig['createPartitioner']>> | undefined;
  /** What Kafka answers for a request: every partition written to, less those `dropped`. */
  const metadata = (batch: ProducerBatch, dropped: number[] = []) =>
    [
      ...new Set(
        batch.topicMessages!.flatMap(({ topic, messages }) =>
          messages.map(
            (message) => `${topic}/${partitioner!({ topic, partitionMetadata, message })}`,
          ),
        ),
      ),
    ]
      .map((tp) => tp.split('/'))
      .filter(([, partition]) => !dropped.includes(Number(partition)))
      .map(([topicName, partition]) => ({ topicName, partition: Number(partition), errorCode: 0 }));
  const producer = {
    connect: jest.fn(async () => {}),
    disconnect: jest.fn(async () => {}),
    sendBatch: jest.fn(
      (batch: ProducerBatch) =>
        new Promise<unknown>((resolve, reject) => {
          sent.push(batch);
          acks.push({ resolve: (dropped?: number[]) => resolve(metadata(batch, dropped)), reject });
        }),
    ),
  };
  const producerFactory = jest.fn((config?: ProducerConfig) => {
    partitioner = config?.createPartitioner?.();
    return producer;
  });
  const kafka = { producer: producerFactory } as unknown as Kafka;
  const logger = { warn: jest.fn() } as unknown as Logger & { warn: jest.Mock };
  /** Acknowledges the n-th produce request (0-based), leaving out the `dropped` partitions. */
  const ack = (n: number, dropped?: number[]) => acks[n]!.resolve(dropped);
  const fail = (n: number, err: unknown) => acks[n]!.reject(err);
  return { kafka, producer, producerFactory, logger, sent, ack, fail };
}

async function connected(opts: PublisherOptions = {}) {
  const fake = fakeKafka();
  const publisher = new EventPublisher(fake.kafka, fake.logger, opts);
  await publisher.connect();
  return { ...fake, publisher };
}

/** Lets pending promise callbacks run (the publisher pumps on settle). */
async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

/** Watches a promise without awaiting it. */
function track(p: Promise<void>) {
  const state: { status: 'pending' | 'resolved' | 'rejected'; error?: unknown } = {
    status: 'pending',
  };
  p.then(
    () => (state.status = 'resolved'),
    (error: unknown) => {
      state.status = 'rejected';
      state.error = error;
    },
  );
  return state;
}

const msgs = (...values: string[]): Message[] => values.map((value) => ({ key: 'k', value }));
const values = (batch: ProducerBatch) =>
  Object.fromEntries(
    (batch.topicMessages ?? []).map((t) => [t.topic, t.messages.map((m) => m.value)]),
  );

describe('EventPublisher', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('creates an idempotent producer with one request in flight and no topic auto-creation', () => {
    const { kafka, producerFactory, logger } = fakeKafka();
    new EventPublisher(kafka, logger);
    expect(producerFactory).toHaveBeenCalledWith(
      expect.objectContaining({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
      }),
    );
  });

  it('refuses to publish before connect, without touching the producer', async () => {
    const { kafka, producer, logger } = fakeKafka();
    const publisher = new EventPublisher(kafka, logger);
    expect(publisher.isConnected()).toBe(false);
    await expect(publisher.publish('t', msgs('a'))).rejects.toThrow(
      new PublishUnavailableError('the Kafka producer is not connected'),
    );
    expect(producer.sendBatch).not.toHaveBeenCalled();
  });

  it('resolves a publish only after Kafka acknowledged it with acks=all', async () => {
    const { publisher, producer, sent, ack } = await connected();
    const state = track(publisher.publish('topic-a', msgs('a1', 'a2')));
    await flush();
    expect(producer.sendBatch).toHaveBeenCalledTimes(1);
    expect(sent[0]).toEqual({
      acks: -1,
      topicMessages: [{ topic: 'topic-a', messages: msgs('a1', 'a2') }],
    });
    expect(state.status).toBe('pending');
    ack(0);
    await flush();
    expect(state.status).toBe('resolved');
  });

  it('groups publishes made while a request is in flight into the next single request', async () => {
    const { publisher, producer, sent, ack } = await connected();
    const first = track(publisher.publish('a', msgs('1')));
    await flush();
    const second = track(publisher.publish('a', msgs('2')));
    const third = track(publisher.publish('b', msgs('3')));
    const fourth = track(publisher.publish('a', msgs('4', '5')));
    await flush();
    expect(producer.sendBatch).toHaveBeenCalledTimes(1);

    ack(0);
    await flush();
    expect(first.status).toBe('resolved');
    expect(producer.sendBatch).toHaveBeenCalledTimes(2);
    expect(values(sent[1]!)).toEqual({ a: ['2', '4', '5'], b: ['3'] });
    expect([second.status, third.status, fourth.status]).toEqual(['pending', 'pending', 'pending']);

    ack(1);
    await flush();
    expect([second.status, third.status, fourth.status]).toEqual([
      'resolved',
      'resolved',
      'resolved',
    ]);
    expect(producer.sendBatch).toHaveBeenCalledTimes(2);
  });

  it('caps a grouped request at maxBatchMessages and sends the rest in the following one', async () => {
    const { publisher, sent, ack } = await connected({ maxBatchMessages: 3 });
    void track(publisher.publish('t', msgs('0')));
    await flush();
    void track(publisher.publish('t', msgs('1', '2')));
    void track(publisher.publish('t', msgs('3', '4')));
    ack(0);
    await flush();
    expect(values(sent[1]!)).toEqual({ t: ['1', '2'] });
    ack(1);
    await flush();
    expect(values(sent[2]!)).toEqual({ t: ['3', '4'] });
  });

  it('sends a single publish larger than maxBatchMessages whole', async () => {
    const { publisher, sent, ack } = await connected({ maxBatchMessages: 2 });
    const state = track(publisher.publish('t', msgs('1', '2', '3', '4')));
    await flush();
    expect(values(sent[0]!)).toEqual({ t: ['1', '2', '3', '4'] });
    ack(0);
    await flush();
    expect(state.status).toBe('resolved');
  });

  it('refuses at once a publish that would overfill the queue, and accepts one that fits exactly', async () => {
    const { publisher, producer } = await connected({ maxQueuedMessages: 3 });
    void track(publisher.publish('t', msgs('in-flight')));
    await flush();
    const fits = track(publisher.publish('t', msgs('q1', 'q2')));
    const alsoFits = track(publisher.publish('t', msgs('q3')));
    const overflow = publisher.publish('t', msgs('q4'));
    await expect(overflow).rejects.toBeInstanceOf(PublishUnavailableError);
    await expect(overflow).rejects.toThrow('3 messages are already waiting for Kafka');
    await flush();
    expect(fits.status).toBe('pending');
    expect(alsoFits.status).toBe('pending');
    expect(producer.sendBatch).toHaveBeenCalledTimes(1);
  });

  it('counts the queue in messages, so one oversized publish is refused even on an idle producer', async () => {
    const { publisher, producer } = await connected({ maxQueuedMessages: 2 });
    await expect(publisher.publish('t', msgs('1', '2', '3'))).rejects.toBeInstanceOf(
      PublishUnavailableError,
    );
    expect(producer.sendBatch).not.toHaveBeenCalled();
  });

  it('frees queue room once a request leaves', async () => {
    const { publisher, ack } = await connected({ maxQueuedMessages: 2 });
    void track(publisher.publish('t', msgs('1')));
    await flush();
    const queued = track(publisher.publish('t', msgs('2', '3')));
    ack(0);
    await flush();
    // '2','3' are now in flight, so the queue is empty again.
    const next = track(publisher.publish('t', msgs('4', '5')));
    await flush();
    expect(queued.status).toBe('pending');
    expect(next.status).toBe('pending');
  });

  it('reports unavailable when Kafka does not acknowledge in time, and never sends a timed-out publish still queued', async () => {
    jest.useFakeTimers();
    const { publisher, producer, ack } = await connected({ ackTimeoutMs: 1_000 });
    const inFlight = track(publisher.publish('t', msgs('1')));
    await flush();
    jest.advanceTimersByTime(500);
    const queued = track(publisher.publish('t', msgs('2')));
    await flush();

    jest.advanceTimersByTime(500);
    await flush();
    expect(inFlight.status).toBe('rejected');
    expect(inFlight.error).toBeInstanceOf(PublishUnavailableError);
    expect((inFlight.error as Error).message).toBe('Kafka did not acknowledge within 1000 ms');
    expect(queued.status).toBe('pending');

    jest.advanceTimersByTime(500);
    await flush();
    expect(queued.status).toBe('rejected');
    expect(queued.error).toBeInstanceOf(PublishUnavailableError);

    // The late acknowledgement neither revives the first publish nor sends the expired one.
    ack(0);
    await flush();
    expect(inFlight.status).toBe('rejected');
    expect(producer.sendBatch).toHaveBeenCalledTimes(1);
  });

  it('sends the live publishes of a batch and skips the expired ones', async () => {
    jest.useFakeTimers();
    const { publisher, sent, ack } = await connected({ ackTimeoutMs: 1_000 });
    void track(publisher.publish('t', msgs('in-flight')));
    await flush();
    const expired = track(publisher.publish('t', msgs('expired')));
    jest.advanceTimersByTime(600);
    const live = track(publisher.publish('t', msgs('live')));
    jest.advanceTimersByTime(400);
    await flush();
    expect(expired.status).toBe('rejected');

    ack(0);
    await flush();
    expect(values(sent[1]!)).toEqual({ t: ['live'] });
    ack(1);
    await flush();
    expect(live.status).toBe('resolved');
  });

  it('rejects every publish of a failed request as unavailable, keeping the cause, and goes on with the next', async () => {
    const { publisher, producer, logger, ack, fail } = await connected();
    void track(publisher.publish('t', msgs('0')));
    await flush();
    const a = track(publisher.publish('t', msgs('a')));
    const b = track(publisher.publish('u', msgs('b')));
    ack(0);
    await flush();

    const cause = new Error('NOT_ENOUGH_REPLICAS');
    fail(1, cause);
    await flush();
    for (const s of [a, b]) {
      expect(s.status).toBe('rejected');
      expect(s.error).toBeInstanceOf(PublishUnavailableError);
      expect((s.error as Error).message).toBe(
        'Kafka did not acknowledge the write: NOT_ENOUGH_REPLICAS',
      );
      expect((s.error as Error).cause).toBe(cause);
    }
    expect(a.error).toBe(b.error);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.objectContaining({ messages: 2 }),
      'Kafka did not acknowledge a produce request',
    );

    const after = track(publisher.publish('t', msgs('c')));
    await flush();
    expect(producer.sendBatch).toHaveBeenCalledTimes(3);
    ack(2);
    await flush();
    expect(after.status).toBe('resolved');
  });

  it('waits for the request in flight before disconnecting, then refuses new publishes', async () => {
    const { publisher, producer, ack } = await connected();
    const pending = track(publisher.publish('t', msgs('1')));
    await flush();
    const closing = publisher.disconnect();
    await flush();
    expect(producer.disconnect).not.toHaveBeenCalled();
    ack(0);
    await closing;
    expect(pending.status).toBe('resolved');
    expect(producer.disconnect).toHaveBeenCalledTimes(1);
    expect(publisher.isConnected()).toBe(false);
    await expect(publisher.publish('t', msgs('2'))).rejects.toBeInstanceOf(PublishUnavailableError);
  });

  it("keeps kafkajs's verdict: a record too large for the topic is rejected for good, not reported as an outage", async () => {
    const { publisher, fail } = await connected();
    const p = track(publisher.publish('t', msgs('big')));
    await flush();
    const tooLarge = new KafkaJSProtocolError(
      Object.assign(
        new Error(
          'The request included a message larger than the max message size the server will accept',
        ),
        { type: 'MESSAGE_TOO_LARGE', code: 10, retriable: false },
      ),
    );
    fail(0, tooLarge);
    await flush();
    expect(p.status).toBe('rejected');
    expect(p.error).toBeInstanceOf(PublishRejectedError);
    expect(p.error).not.toBeInstanceOf(PublishUnavailableError);
    expect(p.error).toMatchObject({
      fault: 'record',
      kafkaType: 'MESSAGE_TOO_LARGE',
      retriable: false,
    });
  });

  it('reports retries that ran out on a broker outage as unavailable, and a missing permission as a deployment fault', async () => {
    const { publisher, fail, ack } = await connected();
    const down = track(publisher.publish('t', msgs('a')));
    await flush();
    const notLeader = new KafkaJSProtocolError(
      Object.assign(new Error('not the leader'), {
        type: 'NOT_LEADER_OR_FOLLOWER',
        code: 6,
        retriable: true,
      }),
    );
    fail(0, new KafkaJSNumberOfRetriesExceeded(notLeader, { retryCount: 3, retryTime: 1000 }));
    await flush();
    expect(down.error).toBeInstanceOf(PublishUnavailableError);

    const denied = track(publisher.publish('t', msgs('b')));
    await flush();
    fail(
      1,
      new KafkaJSProtocolError(
        Object.assign(new Error('Not authorized to access topics'), {
          type: 'TOPIC_AUTHORIZATION_FAILED',
          code: 29,
          retriable: false,
        }),
      ),
    );
    await flush();
    expect(denied.error).toBeInstanceOf(PublishRejectedError);
    expect(denied.error).toMatchObject({
      fault: 'deployment',
      kafkaType: 'TOPIC_AUTHORIZATION_FAILED',
    });
    expect((denied.error as PublishRejectedError).hint).toMatch(/ACL/);
    void ack;
  });

  it('splits one publish into requests of at most maxRequestBytes, in order, and resolves when all are acknowledged', async () => {
    const { publisher, sent, ack } = await connected({ maxRequestBytes: 2_500 });
    const big = (id: string) => ({ key: id, value: Buffer.alloc(1_000, 'x') });
    const p = track(publisher.publish('t', ['1', '2', '3', '4', '5'].map(big)));
    await flush();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.topicMessages![0]!.messages.map((m) => m.key)).toEqual(['1', '2']);
    ack(0);
    await flush();
    expect(p.status).toBe('pending');
    expect(sent[1]!.topicMessages![0]!.messages.map((m) => m.key)).toEqual(['3', '4']);
    ack(1);
    await flush();
    expect(sent[2]!.topicMessages![0]!.messages.map((m) => m.key)).toEqual(['5']);
    ack(2);
    await flush();
    expect(p.status).toBe('resolved');
  });

  it('sends a single message larger than maxRequestBytes alone', async () => {
    const { publisher, sent, ack } = await connected({ maxRequestBytes: 500 });
    const a = track(publisher.publish('t', [{ key: 'huge', value: Buffer.alloc(5_000) }]));
    const b = track(publisher.publish('t', [{ key: 'small', value: 'x' }]));
    await flush();
    expect(sent[0]!.topicMessages![0]!.messages.map((m) => m.key)).toEqual(['huge']);
    ack(0);
    await flush();
    expect(sent[1]!.topicMessages![0]!.messages.map((m) => m.key)).toEqual(['small']);
    ack(1);
    await flush();
    expect([a.status, b.status]).toEqual(['resolved', 'resolved']);
  });

  it('sends again the records of partitions Kafka left out of its answer (kafkajs #1303), and resolves only then', async () => {
    const { publisher, sent, ack } = await connected();
    const keys = Array.from({ length: 30 }, (_, i) => `acme/trace-${i}`);
    const p = track(
      publisher.publish(
        't',
        keys.map((key) => ({ key, value: 'v' })),
      ),
    );
    await flush();
    // Kafka answers for partitions 1 and 2 only: partition 0's records were never written.
    ack(0, [0]);
    await flush();
    expect(p.status).toBe('pending');
    expect(sent).toHaveLength(2);
    const resent = sent[1]!.topicMessages![0]!.messages.map((m) => m.key as string);
    expect(resent.length).toBeGreaterThan(0);
    expect(resent.length).toBeLessThan(keys.length);
    ack(1);
    await flush();
    expect(p.status).toBe('resolved');
  });

  it('reports a broken idempotence state as an outage and writes the next request with a new producer', async () => {
    const { publisher, producer, producerFactory, fail, ack } = await connected();
    const first = track(publisher.publish('t', msgs('a')));
    await flush();
    fail(
      0,
      new KafkaJSProtocolError(
        Object.assign(new Error('out of order'), {
          type: 'OUT_OF_ORDER_SEQUENCE_NUMBER',
          code: 45,
          retriable: false,
        }),
      ),
    );
    await flush();
    expect(first.error).toBeInstanceOf(PublishUnavailableError);
    expect(producerFactory).toHaveBeenCalledTimes(1);

    const second = track(publisher.publish('t', msgs('b')));
    await flush();
    expect(producerFactory).toHaveBeenCalledTimes(2);
    expect(producer.disconnect).toHaveBeenCalledTimes(1);
    ack(1);
    await flush();
    expect(second.status).toBe('resolved');
  });
});
