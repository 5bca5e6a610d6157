import {
  Global,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { Redis } from 'ioredis';
import type { Kafka } from 'kafkajs';
import { ConfigService } from '@llmops/config';
import { topicNames } from '@llmops/contracts';
import { ApiKeyStore } from '@llmops/control-plane';
import { EventPublisher, createKafka } from '@llmops/kafka';
import { createMetricsRegistry, type Logger } from '@llmops/observability';
import type { IngressConfig } from '../config/ingress-config';
import { AuthAuditService } from '../auth/auth-audit.service';
import { Authenticator } from '../auth/authenticator';
import { KAFKA, LOGGER, METRICS, REDIS } from './tokens';

/** Connects the Kafka producer and loads API keys at start; closes both on shutdown. */
class InfraLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly keys: ApiKeyStore,
  ) {}
  async onModuleInit() {
    await Promise.all([this.publisher.connect(), this.keys.start()]);
  }
  async onApplicationShutdown() {
    await this.publisher.disconnect();
    await this.keys.stop();
  }
}

/** Closes the Redis connection (usage and budget reads) on shutdown. */
class RedisLifecycle implements OnApplicationShutdown {
  constructor(private readonly redis: Redis) {}
  onApplicationShutdown() {
    this.redis.disconnect();
  }
}

/** Config, logger, Kafka client, publisher, API keys and metrics for the whole app. */
@Global()
@Module({})
export class InfraModule {
  static register(config: IngressConfig, logger: Logger): DynamicModule {
    return {
      module: InfraModule,
      providers: [
        AuthAuditService,
        Authenticator,
        { provide: ConfigService, useValue: new ConfigService(config) },
        { provide: LOGGER, useValue: logger },
        { provide: METRICS, useFactory: () => createMetricsRegistry('ingress') },
        {
          provide: KAFKA,
          inject: [ConfigService],
          useFactory: (c: ConfigService<IngressConfig>) =>
            createKafka({
              brokers: c.get('KAFKA_BROKERS'),
              clientId: `${c.get('KAFKA_CLIENT_ID')}-ingress`,
              logger,
            }),
        },
        {
          provide: EventPublisher,
          inject: [KAFKA, ConfigService],
          useFactory: (kafka: Kafka, c: ConfigService<IngressConfig>) =>
            new EventPublisher(kafka, logger, {
              ackTimeoutMs: c.get('INGRESS_ACK_TIMEOUT_MS'),
              maxQueuedMessages: c.get('INGRESS_MAX_QUEUED_EVENTS'),
            }),
        },
        {
          provide: ApiKeyStore,
          inject: [KAFKA],
          useFactory: (kafka: Kafka) =>
            new ApiKeyStore(kafka, logger, topicNames(config.TOPIC_PREFIX).controlApiKeys),
        },
        {
          // Connects in the background: ingest never waits for Redis; budget and usage
          // reads fail fast (no offline queue) while it is down.
          provide: REDIS,
          useFactory: () =>
            new Redis(config.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }).on(
              'error',
              (err: Error) => logger.debug({ err }, 'Redis connection error'),
            ),
        },
        {
          provide: RedisLifecycle,
          inject: [REDIS],
          useFactory: (r: Redis) => new RedisLifecycle(r),
        },
        {
          provide: InfraLifecycle,
          inject: [EventPublisher, ApiKeyStore],
          useFactory: (p: EventPublisher, k: ApiKeyStore) => new InfraLifecycle(p, k),
        },
      ],
      exports: [
        ConfigService,
        LOGGER,
        METRICS,
        KAFKA,
        REDIS,
        EventPublisher,
        ApiKeyStore,
        AuthAuditService,
        Authenticator,
      ],
    };
  }
}
