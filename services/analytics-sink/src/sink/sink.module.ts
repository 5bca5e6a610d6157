import {
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { createClickHouseClient, migrate } from '@llmops/clickhouse';
import { topicNames } from '@llmops/contracts';
import { createKafka } from '@llmops/kafka';
import {
  MetricsServer,
  consumerMetrics,
  createMetricsRegistry,
  metricsServerFor,
  type Logger,
} from '@llmops/observability';
import type { SinkConfig } from '../config/sink-config';
import { InvocationWriter } from '../invocations/invocation-writer';
import { SinkConsumer } from './sink.consumer';

type ClickHouse = ReturnType<typeof createClickHouseClient>;

/** Applies migrations, then consumes; on SIGTERM finishes the batch in hand, commits and disconnects. */
class SinkLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly config: SinkConfig,
    private readonly clickhouse: ClickHouse,
    private readonly consumer: SinkConsumer,
    private readonly logger: Logger,
  ) {}
  async onApplicationBootstrap() {
    const { applied } = await migrate(this.clickhouse, {
      database: this.config.CLICKHOUSE_DATABASE,
      migrationsDir: this.config.CLICKHOUSE_MIGRATIONS_DIR,
    });
    this.logger.info({ applied: applied.map((m) => m.name) }, 'ClickHouse migrations up to date');
    await this.consumer.start();
  }
  async beforeApplicationShutdown() {
    await this.consumer.stop();
    await this.clickhouse.close();
  }
}

@Module({})
export class SinkModule {
  static register(config: SinkConfig, logger: Logger): DynamicModule {
    const kafka = createKafka({
      brokers: config.KAFKA_BROKERS,
      clientId: `${config.KAFKA_CLIENT_ID}-analytics-sink`,
      logger,
    });
    const clickhouse = createClickHouseClient({
      url: config.CLICKHOUSE_URL,
      username: config.CLICKHOUSE_USER,
      password: config.CLICKHOUSE_PASSWORD,
    });
    const registry = createMetricsRegistry('analytics-sink');
    const writer = new InvocationWriter(clickhouse, { database: config.CLICKHOUSE_DATABASE });
    const consumer = new SinkConsumer(kafka, writer, logger, consumerMetrics(registry), {
      topics: topicNames(config.TOPIC_PREFIX),
      groupId: config.SINK_GROUP_ID,
      maxAttempts: config.CONSUMER_MAX_RETRIES,
      retryBaseMs: config.CONSUMER_RETRY_BASE_MS,
      minBytes: config.SINK_BATCH_MIN_BYTES,
      maxWaitTimeInMs: config.SINK_BATCH_MAX_WAIT_MS,
      maxBytesPerPartition: config.SINK_BATCH_MAX_BYTES_PER_PARTITION,
    });
    return {
      module: SinkModule,
      providers: [
        {
          provide: SinkLifecycle,
          useValue: new SinkLifecycle(config, clickhouse, consumer, logger),
        },
        { provide: MetricsServer, useValue: metricsServerFor(registry, config, logger) },
      ],
    };
  }
}
