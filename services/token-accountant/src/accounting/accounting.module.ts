import {
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Redis } from 'ioredis';
import { topicNames } from '@llmops/contracts';
import { EventPublisher, createKafka } from '@llmops/kafka';
import {
  MetricsServer,
  consumerMetrics,
  createMetricsRegistry,
  metricsServerFor,
  type Logger,
} from '@llmops/observability';
import { BudgetStore, PriceBook, UsageKeys, loadPriceFile } from '@llmops/pricing';
import type { AccountantConfig } from '../config/accountant-config';
import { Accountant, countScript } from './accountant';
import { AccountingConsumer } from './accounting.consumer';

/** Loads budgets and connects before consuming; on SIGTERM finishes the batch, commits, disconnects. */
class AccountingLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly redis: Redis,
    private readonly publisher: EventPublisher,
    private readonly budgets: BudgetStore,
    private readonly consumer: AccountingConsumer,
  ) {}
  async onApplicationBootstrap() {
    await this.redis.connect();
    await countScript.load(this.redis);
    await Promise.all([this.publisher.connect(), this.budgets.start()]);
    await this.consumer.start();
  }
  async beforeApplicationShutdown() {
    await this.consumer.stop();
    await this.publisher.disconnect();
    await this.budgets.stop();
    await this.redis.quit();
  }
}

@Module({})
export class AccountingModule {
  static register(config: AccountantConfig, logger: Logger): DynamicModule {
    const kafka = createKafka({
      brokers: config.KAFKA_BROKERS,
      clientId: `${config.KAFKA_CLIENT_ID}-token-accountant`,
      logger,
    });
    const topics = topicNames(config.TOPIC_PREFIX);
    const redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 3 });
    const publisher = new EventPublisher(kafka, logger);
    const budgets = new BudgetStore(kafka, logger, topics.controlBudgets);
    const registry = createMetricsRegistry('token-accountant');
    const prices = new PriceBook(
      undefined,
      config.PRICING_FILE ? loadPriceFile(config.PRICING_FILE) : [],
    );
    const accountant = new Accountant(
      redis,
      new UsageKeys(config.REDIS_KEY_PREFIX),
      prices,
      budgets,
      publisher,
      topics,
      logger,
      registry,
      { dedupeTtlS: config.ACCOUNTANT_DEDUPE_TTL_S },
    );
    const consumer = new AccountingConsumer(kafka, accountant, logger, consumerMetrics(registry), {
      topic: topics.invocations,
      groupId: config.ACCOUNTANT_GROUP_ID,
      maxAttempts: config.CONSUMER_MAX_RETRIES,
      retryBaseMs: config.CONSUMER_RETRY_BASE_MS,
      partitionsConcurrently: config.ACCOUNTANT_PARTITIONS_CONCURRENTLY,
    });
    return {
      module: AccountingModule,
      providers: [
        {
          provide: AccountingLifecycle,
          useValue: new AccountingLifecycle(redis, publisher, budgets, consumer),
        },
        { provide: MetricsServer, useValue: metricsServerFor(registry, config, logger) },
      ],
    };
  }
}
