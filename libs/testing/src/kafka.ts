import { Kafka, logLevel } from 'kafkajs';
import { RECORD_LIMITS, dlqTopic } from '@llmops/contracts';
import { testEndpoints } from './endpoints';

/** A kafkajs client for test code, quiet unless something breaks. */
export function testKafka(clientId = 'llmops-test'): Kafka {
  return new Kafka({
    brokers: testEndpoints().kafkaBrokers.split(','),
    clientId,
    logLevel: logLevel.ERROR,
  });
}

/** Creates topics (each with its DLQ) for one test, taking records as large as production topics do. */
export async function createTestTopics(
  kafka: Kafka,
  names: string[],
  partitions = 3,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: names
        .flatMap((topic) => [topic, dlqTopic(topic)])
        .map((topic) => ({
          topic,
          numPartitions: partitions,
          replicationFactor: 1,
          configEntries: [
            { name: 'max.message.bytes', value: String(RECORD_LIMITS.topicMaxMessageBytes) },
          ],
        })),
    });
  } finally {
    await admin.disconnect();
  }
}

export interface ReadMessage {
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  partition: number;
  offset: string;
}

/**
 * Reads a topic from the beginning until `count` messages arrived (or fails
 * after the timeout, saying how many it got).
 */
export async function readMessages(
  kafka: Kafka,
  topic: string,
  count: number,
  timeoutMs = 60_000,
): Promise<ReadMessage[]> {
  const consumer = kafka.consumer({
    groupId: `t-reader-${Date.now()}-${Math.random().toString(16).slice(2)}`,
    maxWaitTimeInMs: 100,
  });
  const got: ReadMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let done!: () => void;
    const finished = new Promise<void>((r) => (done = r));
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        got.push({
          key: message.key?.toString() ?? null,
          value: message.value,
          headers: Object.fromEntries(
            Object.entries(message.headers ?? {}).map(([k, v]) => [k, v?.toString() ?? '']),
          ),
          partition,
          offset: message.offset,
        });
        if (got.length >= count) done();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      finished,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(
                `read ${got.length} of ${count} messages from ${topic} within ${timeoutMs} ms`,
              ),
            ),
          timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    return got;
  } finally {
    await consumer.disconnect();
  }
}
