import * as fs from 'node:fs';
import type { Kafka } from 'kafkajs';
import { topicNames } from '@llmops/contracts';
import { EventPublisher } from '@llmops/kafka';
import type { Logger } from '@llmops/observability';
import type { ForwarderConfig } from '../config/forwarder-config';
import { HecClient } from '../hec/hec-client';
import { HecSink } from '../hec/hec-sink';
import { KafkaSiemSink } from '../kafka/kafka-sink';
import { SyslogSink } from '../syslog/syslog-sink';
import type { Sink } from './sink';

/** The sinks the configuration asks for: Kafka topics, syslog, HEC. */
export function createSinks(
  config: ForwarderConfig,
  kafka: Kafka,
  logger: Logger,
): Sink<unknown>[] {
  const sinks: Sink<unknown>[] = [];
  if (config.SIEM_FORMATS.length > 0) {
    sinks.push(
      new KafkaSiemSink(
        config.SIEM_KAFKA_GROUP_ID,
        // One byte-bounded chunk per produce request (see MAX_CHUNK_BYTES); 1 = never merge two.
        new EventPublisher(kafka, logger, { maxBatchMessages: 1, maxQueuedMessages: 100_000 }),
        topicNames(config.TOPIC_PREFIX),
        config.SIEM_FORMATS,
      ),
    );
  }
  if (config.SIEM_SYSLOG_URL) {
    sinks.push(new SyslogSink(config.SIEM_SYSLOG_GROUP_ID, config, logger));
  }
  if (config.SIEM_HEC_URL && config.SIEM_HEC_TOKEN) {
    const client = new HecClient({
      url: config.SIEM_HEC_URL,
      token: config.SIEM_HEC_TOKEN,
      ack: config.SIEM_HEC_ACK,
      timeoutMs: config.SIEM_HEC_TIMEOUT_MS,
      ackTimeoutMs: config.SIEM_HEC_ACK_TIMEOUT_MS,
      ca: config.SIEM_HEC_CA_FILE ? fs.readFileSync(config.SIEM_HEC_CA_FILE) : undefined,
    });
    sinks.push(
      new HecSink(config.SIEM_HEC_GROUP_ID, client, {
        body: config.SIEM_HEC_BODY,
        sourcetype: config.SIEM_HEC_SOURCETYPE,
        index: config.SIEM_HEC_INDEX,
        batchMaxEvents: config.SIEM_HEC_BATCH_MAX_EVENTS,
      }),
    );
  }
  return sinks;
}
