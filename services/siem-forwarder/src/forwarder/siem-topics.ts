import type { Kafka } from 'kafkajs';
import type { TopicNames } from '@llmops/contracts';
import { ensureTopics, platformTopics, siemTopics } from '@llmops/kafka';
import type { Logger } from '@llmops/observability';
import type { ForwarderConfig } from '../config/forwarder-config';

/** Creates the SIEM topics of the enabled formats (the CLI creates only the default OCSF one). */
export async function ensureSiemTopics(
  kafka: Kafka,
  topics: TopicNames,
  config: ForwarderConfig,
  logger: Logger,
): Promise<void> {
  const names = new Set(siemTopics(topics, config.SIEM_FORMATS));
  if (names.size === 0) return;
  const specs = platformTopics(topics, {
    partitions: config.TOPIC_PARTITIONS,
    replicationFactor: config.TOPIC_REPLICATION_FACTOR,
    rawRetentionMs: config.RAW_RETENTION_MS,
    siemFormats: config.SIEM_FORMATS,
  }).filter((s) => names.has(s.name));
  const admin = kafka.admin();
  await admin.connect();
  try {
    const created = await ensureTopics(admin, specs);
    if (created.length > 0) logger.info({ created }, 'created SIEM topics');
  } finally {
    await admin.disconnect();
  }
}
