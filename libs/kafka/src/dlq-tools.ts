import { randomUUID } from 'node:crypto';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import { closableConsumer } from './client';
import { parseDlqHeaders } from './dlq';
import type { DeadLetterAddress, DeadLetterRecord } from './dlq-select';
import { isRetriable } from './errors';

export interface ReadToEndOptions {
  /** Fail when no message arrives for this long while partitions are still behind. @default 30000 */
  idleTimeoutMs?: number;
}

/**
 * Reads the topics from their first retained offset to their end as of the
 * call, in a consumer group of its own that never commits (so it moves no
 * one's offsets). `onMessage` returning true stops early.
 */
export async function readToEnd(
  kafka: Kafka,
  topics: readonly string[],
  onMessage: (topic: string, partition: number, message: KafkaMessage) => boolean | void,
  { idleTimeoutMs = 30_000 }: ReadToEndOptions = {},
): Promise<void> {
  if (topics.length === 0) return;
  const admin = kafka.admin();
  await admin.connect();
  const pending = new Map<string, bigint>();
  try {
    for (const topic of topics) {
      const offsets = await topicOffsets(admin, topic);
      for (const o of offsets) {
        if (BigInt(o.high) > BigInt(o.low)) pending.set(`${topic}/${o.partition}`, BigInt(o.high));
      }
    }
  } finally {
    await admin.disconnect();
  }
  if (pending.size === 0) return;

  const consumer = closableConsumer(kafka, {
    groupId: `llmops-dlq-reader-${randomUUID()}`,
    maxWaitTimeInMs: 250,
    allowAutoTopicCreation: false,
  });
  let finished = false;
  let finish!: (err?: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = (err) => {
      finished = true;
      if (err) reject(err);
      else resolve();
    };
  });
  let timer: NodeJS.Timeout | undefined;
  const armIdleTimer = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      finish(
        new Error(
          `reading ${topics.join(', ')} made no progress for ${idleTimeoutMs} ms; ` +
            `still behind on ${[...pending.keys()].join(', ')}`,
        ),
      );
    }, idleTimeoutMs);
  };
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    armIdleTimer();
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        if (finished) return;
        armIdleTimer();
        const key = `${batch.topic}/${batch.partition}`;
        for (const message of batch.messages) {
          if (finished) return;
          const end = pending.get(key);
          if (end !== undefined && BigInt(message.offset) >= end) break; // written after the call
          let stop: boolean | void;
          try {
            stop = onMessage(batch.topic, batch.partition, message);
          } catch (err) {
            // Thrown out of eachBatch, kafkajs would fetch the batch again and again.
            return finish(err instanceof Error ? err : new Error(String(err)));
          }
          if (stop === true) return finish();
        }
        const end = pending.get(key);
        // lastOffset() also counts offsets the batch skipped (compacted away, transaction markers).
        if (end !== undefined && BigInt(batch.lastOffset()) + 1n >= end) {
          pending.delete(key);
          if (pending.size === 0) finish();
        }
      },
    });
    await done;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
}

// What a topic that exists answers while its metadata is still reaching every broker.
const NOT_YET = new Set([
  'UNKNOWN_TOPIC_OR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_FOR_PARTITION',
]);

/**
 * The partitions' offsets of a topic known to exist. Right after it was
 * created a broker may still answer "unknown topic", which the platform's
 * fault rules rightly call a deployment fault elsewhere: here it is retried.
 */
async function topicOffsets(admin: Admin, topic: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await admin.fetchTopicOffsets(topic);
    } catch (err) {
      const type = (err as { type?: unknown }).type;
      const passing = isRetriable(err) || (typeof type === 'string' && NOT_YET.has(type));
      if (!passing || attempt >= 10) throw err;
      await new Promise((r) => setTimeout(r, Math.min(2_000, 100 * 2 ** (attempt - 1))));
    }
  }
}

/** A DLQ message with its headers read. */
export function toDeadLetterRecord(
  topic: string,
  partition: number,
  message: KafkaMessage,
): DeadLetterRecord {
  return {
    ...parseDlqHeaders(topic, message.headers),
    address: { topic, partition, offset: message.offset },
    key: message.key,
    value: message.value,
    headers: message.headers ?? {},
    timestampMs: Number(message.timestamp),
  };
}

/** Every dead letter of the DLQ topics (that exist: pass only those), in partition order. */
export async function readDeadLetters(
  kafka: Kafka,
  dlqTopics: readonly string[],
  options?: ReadToEndOptions,
): Promise<DeadLetterRecord[]> {
  const records: DeadLetterRecord[] = [];
  await readToEnd(
    kafka,
    dlqTopics,
    (topic, partition, message) => void records.push(toDeadLetterRecord(topic, partition, message)),
    options,
  );
  return records.sort(
    (a, b) =>
      a.address.topic.localeCompare(b.address.topic) ||
      a.address.partition - b.address.partition ||
      Number(BigInt(a.address.offset) - BigInt(b.address.offset)),
  );
}

/** The dead letter at the address, or undefined when the topic holds none there. */
export async function findDeadLetter(
  kafka: Kafka,
  address: DeadLetterAddress,
  options?: ReadToEndOptions,
): Promise<DeadLetterRecord | undefined> {
  let found: DeadLetterRecord | undefined;
  await readToEnd(
    kafka,
    [address.topic],
    (topic, partition, message) => {
      if (partition !== address.partition || message.offset !== address.offset) return false;
      found = toDeadLetterRecord(topic, partition, message);
      return true;
    },
    options,
  );
  return found;
}
