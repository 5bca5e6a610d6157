import type { Consumer, EachMessagePayload } from 'kafkajs';
import { createLogger } from '@llmops/observability';
import { createTestTopics, testEndpoints, uniqueName, waitFor } from '@llmops/testing';
import { closableConsumer, createKafka } from '../src';

const logger = createLogger('test', { level: 'silent' });
const kafka = createKafka({
  brokers: testEndpoints().kafkaBrokers.split(','),
  clientId: 'closable-consumer-test',
  logger,
});
/** No retries inside kafkajs: a failing message crashes the consumer at once. */
const retry = { retries: 0, initialRetryTime: 100 };

async function topicWithOneMessage(): Promise<string> {
  const topic = uniqueName('t-closable');
  await createTestTopics(kafka, [topic], 1);
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ value: 'one' }] });
  await producer.disconnect();
  return topic;
}

/** Runs `consumer` on `topic`; `handle` says whether a delivery fails (a crash). */
async function start(
  consumer: Consumer,
  topic: string,
  handle: (p: EachMessagePayload) => boolean,
): Promise<void> {
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async (p) => {
      if (handle(p)) throw new Error('this delivery fails on purpose');
    },
  });
}

describe('closableConsumer', () => {
  it('restarts a consumer that crashed while it is open, as kafkajs does', async () => {
    const topic = await topicWithOneMessage();
    const consumer = closableConsumer(kafka, { groupId: uniqueName('g'), retry });
    let deliveries = 0;
    await start(consumer, topic, () => ++deliveries === 1);
    try {
      await waitFor('the message delivered again after the crash and the restart', () =>
        deliveries >= 2 ? true : undefined,
      );
    } finally {
      await consumer.disconnect();
    }
  });

  it('stays closed when it is disconnected while kafkajs handles its crash, where a plain kafkajs consumer comes back', async () => {
    const topic = await topicWithOneMessage();
    const plain = kafka.consumer({ groupId: uniqueName('g-plain'), retry });
    const closable = closableConsumer(kafka, { groupId: uniqueName('g-closable'), retry });
    const closedAt = new Map<Consumer, number>();
    const deliveriesAfterClose = new Map<Consumer, number>([
      [plain, 0],
      [closable, 0],
    ]);
    for (const c of [plain, closable]) {
      // Closing from the crash listener: after kafkajs decided to restart, before its timer.
      c.on(c.events.CRASH, () => {
        if (!closedAt.has(c)) {
          closedAt.set(c, Date.now());
          void c.disconnect();
        }
      });
    }
    let plainRecovered = false;
    try {
      await start(plain, topic, () => {
        if (!closedAt.has(plain)) return true;
        const n = deliveriesAfterClose.get(plain)! + 1;
        deliveriesAfterClose.set(plain, n);
        // Twice back after its close (two restart periods), then let it run normally.
        if (n >= 2) plainRecovered = true;
        return !plainRecovered;
      });
      await start(closable, topic, () => {
        if (closedAt.has(closable))
          deliveriesAfterClose.set(closable, deliveriesAfterClose.get(closable)! + 1);
        return true;
      });
      await waitFor('both consumers crashed and were closed', () =>
        closedAt.size === 2 ? true : undefined,
      );
      await waitFor('the plain kafkajs consumer back twice after its disconnect', () =>
        plainRecovered ? true : undefined,
      );
      expect(deliveriesAfterClose.get(closable)).toBe(0);
    } finally {
      await plain.disconnect();
      await closable.disconnect();
    }
  });
});
