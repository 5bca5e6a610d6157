import * as fs from 'node:fs';
import {
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { topicNames } from '@llmops/contracts';
import {
  EventPublisher,
  createKafka,
  ensureTopics,
  platformTopics,
  siemTopics,
} from '@llmops/kafka';
import {
  MetricsServer,
  consumerMetrics,
  createMetricsRegistry,
  metricsServerFor,
  type Logger,
} from '@llmops/observability';
import type { ForwarderConfig } from '../config/forwarder-config';
import { HecClient } from '../hec/hec-client';
import { HecSink } from '../hec/hec-sink';
import { KafkaSiemSink } from '../kafka/kafka-sink';
import { SyslogSink } from '../syslog/syslog-sink';
import type { Sink } from './sink';
import { SinkConsumer } from './sink-consumer';

/**
 * Starts one consumer group per configured sink once the app is up; on
 * SIGTERM each stops fetching, finishes its batch, commits and disconnects.
 */
class ForwarderLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly kafka: Kafka,
    private readonly config: ForwarderConfig,
    private readonly consumers: SinkConsumer<unknown>[],
    private readonly log: Logger,
  ) {}

  async onApplicationBootstrap() {
    await this.ensureSiemTopics();
    await Promise.all(this.consumers.map((c) => c.start()));
    this.log.info({ sinks: this.consumers.length }, 'siem-forwarder consuming');
  }

  async beforeApplicationShutdown() {
    await Promise.all(this.consumers.map((c) => c.stop()));
  }

  /** The SIEM topics of the enabled formats (the CLI creates only the default OCSF one). */
  private async ensureSiemTopics() {
    const c = this.config;
    const names = new Set(siemTopics(topicNames(c.TOPIC_PREFIX), c.SIEM_FORMATS));
    if (names.size === 0) return;
    const specs = platformTopics(topicNames(c.TOPIC_PREFIX), {
      partitions: c.TOPIC_PARTITIONS,
      replicationFactor: c.TOPIC_REPLICATION_FACTOR,
      rawRetentionMs: c.RAW_RETENTION_MS,
      siemFormats: c.SIEM_FORMATS,
    }).filter((s) => names.has(s.name));
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const created = await ensureTopics(admin, specs);
      if (created.length > 0) this.log.info({ created }, 'created SIEM topics');
    } finally {
      await admin.disconnect();
    }
  }
}

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

@Module({})
export class ForwarderModule {
  static register(config: ForwarderConfig, logger: Logger): DynamicModule {
    const kafka = createKafka({
      brokers: config.KAFKA_BROKERS,
      clientId: `${config.KAFKA_CLIENT_ID}-siem-forwarder`,
      logger,
    });
    const topic = topicNames(config.TOPIC_PREFIX).securityEvents;
    const registry = createMetricsRegistry('siem-forwarder');
    // Every sink reads the same topic in its own consumer group: the `group` label tells them apart.
    const metrics = consumerMetrics(registry);
    const consumers = createSinks(config, kafka, logger).map(
      (sink) =>
        new SinkConsumer(kafka, sink, logger, {
          topic,
          maxAttempts: config.CONSUMER_MAX_RETRIES,
          retryBaseMs: config.CONSUMER_RETRY_BASE_MS,
          metrics,
        }),
    );
    return {
      module: ForwarderModule,
      providers: [
        {
          provide: ForwarderLifecycle,
          useValue: new ForwarderLifecycle(kafka, config, consumers, logger),
        },
        { provide: MetricsServer, useValue: metricsServerFor(registry, config, logger) },
      ],
    };
  }
}
