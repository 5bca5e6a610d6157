import { topicNames, type TopicNames } from '@llmops/contracts';
import { ensureTopics, platformTopics } from '@llmops/kafka';
import type { Kafka } from 'kafkajs';
import { uniqueName } from './wait';

/** The platform's topics under a fresh prefix, created on the test cluster. */
export async function createPlatformTopics(kafka: Kafka, partitions = 3): Promise<{ prefix: string; topics: TopicNames }> {
  const prefix = `${uniqueName('t')}.`;
  const topics = topicNames(prefix);
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(admin, platformTopics(topics, { partitions, replicationFactor: 1, rawRetentionMs: 86_400_000 }));
  } finally {
    await admin.disconnect();
  }
  return { prefix, topics };
}
