import { topicNames, type TopicNames } from '@llmops/contracts';
import type { Kafka } from 'kafkajs';
import { createTestTopics } from './kafka';
import { uniqueName } from './wait';

/**
 * Every platform topic and a DLQ for each, under a fresh prefix, on the test
 * cluster, taking records as large as production topics do. (Otherwise plain
 * creation: the other production settings — retention, compaction —
 * come from `platformTopics` of @llmops/kafka, which this library must not
 * import because that library's tests import this one.)
 */
export async function createPlatformTopics(
  kafka: Kafka,
  partitions = 3,
): Promise<{ prefix: string; topics: TopicNames }> {
  const prefix = `${uniqueName('t')}.`;
  const topics = topicNames(prefix);
  await createTestTopics(kafka, Object.values(topics), partitions);
  return { prefix, topics };
}
