import {
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { topicNames } from '@llmops/contracts';
import { EventPublisher, createKafka } from '@llmops/kafka';
import {
  MetricsServer,
  consumerMetrics,
  createMetricsRegistry,
  metricsServerFor,
  type Logger,
} from '@llmops/observability';
import type { ScannerConfig } from '../config/scanner-config';
import { InvocationScanner } from './invocation-scanner';
import { ScannerConsumer } from './scanner.consumer';

/** Starts the consumer once the app is up; on SIGTERM stops fetching, finishes the batch, commits, disconnects. */
class ScannerLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly consumer: ScannerConsumer,
  ) {}
  async onApplicationBootstrap() {
    await this.publisher.connect();
    await this.consumer.start();
  }
  async beforeApplicationShutdown() {
    await this.consumer.stop();
    await this.publisher.disconnect();
  }
}

@Module({})
export class ScannerModule {
  static register(config: ScannerConfig, logger: Logger): DynamicModule {
    const kafka = createKafka({
      brokers: config.KAFKA_BROKERS,
      clientId: `${config.KAFKA_CLIENT_ID}-pii-scanner`,
      logger,
    });
    const publisher = new EventPublisher(kafka, logger);
    const registry = createMetricsRegistry('pii-scanner');
    const consumer = new ScannerConsumer(
      kafka,
      publisher,
      topicNames(config.TOPIC_PREFIX),
      new InvocationScanner(config.PII_HMAC_KEY, config.PII_MIN_SCORE, config.PII_POLICIES),
      logger,
      consumerMetrics(registry),
      {
        groupId: config.PII_SCANNER_GROUP_ID,
        maxAttempts: config.CONSUMER_MAX_RETRIES,
        retryBaseMs: config.CONSUMER_RETRY_BASE_MS,
      },
    );
    return {
      module: ScannerModule,
      providers: [
        { provide: ScannerLifecycle, useValue: new ScannerLifecycle(publisher, consumer) },
        { provide: MetricsServer, useValue: metricsServerFor(registry, config, logger) },
      ],
    };
  }
}
