import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { ConsumerServiceConfig } from '@llmops/config';
import { ConsumerRunner, createKafka } from '@llmops/kafka';
import {
  MetricsServer,
  consumerMetrics,
  createMetricsRegistry,
  metricsServerFor,
  type ConsumerMetrics,
  type Logger,
  type Registry,
} from '@llmops/observability';
import { ConsumerHost } from './consumer-host';
import {
  resource,
  serviceContext,
  toDecoder,
  type ConsumerServiceDefinition,
  type ConsumerSpec,
  type ConsumerServiceParts,
} from './consumer-service';

/** Injection tokens of what every consumer service has. */
export const SERVICE_CONFIG = Symbol('consumer service config');
export const SERVICE_LOGGER = Symbol('consumer service logger');
export const KAFKA = Symbol('kafka client');
export const METRICS_REGISTRY = Symbol('metrics registry');
/** The resources and consumers the service's `build` returned. */
export const SERVICE_PARTS = Symbol('consumer service parts');
/** One `ConsumerRunner` per consumer of the service's parts. */
export const CONSUMER_RUNNERS = Symbol('consumer runners');

/**
 * The providers of a consumer service, each built by a factory from the ones
 * it injects. At bootstrap the `ConsumerHost` starts the metrics endpoint,
 * opens the service's resources in order and starts its consumers; on close
 * it stops the consumers (each finishes its batch and commits), closes the
 * resources in reverse order, and the endpoint last. `MetricsServer` is a
 * provider of its own so that `app.get(MetricsServer).port` says where it
 * listens (its own Nest hooks then find it started, or stopped: no-ops).
 */
@Module({})
export class ConsumerHostModule {
  static register<C extends ConsumerServiceConfig>(
    definition: ConsumerServiceDefinition<C>,
    config: C,
    logger: Logger,
  ): DynamicModule {
    const providers: Provider[] = [
      { provide: SERVICE_CONFIG, useValue: config },
      { provide: SERVICE_LOGGER, useValue: logger },
      {
        provide: KAFKA,
        inject: [SERVICE_CONFIG, SERVICE_LOGGER],
        useFactory: (c: C, log: Logger) =>
          createKafka({
            brokers: c.KAFKA_BROKERS,
            clientId: `${c.KAFKA_CLIENT_ID}-${definition.name}`,
            logger: log,
          }),
      },
      { provide: METRICS_REGISTRY, useFactory: () => createMetricsRegistry(definition.name) },
      {
        provide: MetricsServer,
        inject: [METRICS_REGISTRY, SERVICE_CONFIG, SERVICE_LOGGER],
        useFactory: metricsServerFor,
      },
      {
        provide: SERVICE_PARTS,
        inject: [SERVICE_CONFIG, SERVICE_LOGGER, KAFKA, METRICS_REGISTRY],
        useFactory: (c: C, log: Logger, kafka: Kafka, registry: Registry) =>
          definition.build(serviceContext(c, log, kafka, registry)),
      },
      {
        provide: CONSUMER_RUNNERS,
        inject: [SERVICE_PARTS, SERVICE_CONFIG, SERVICE_LOGGER, KAFKA, METRICS_REGISTRY],
        useFactory: (
          parts: ConsumerServiceParts,
          c: C,
          log: Logger,
          kafka: Kafka,
          registry: Registry,
        ) => {
          // One set for all consumers of the service: the `group` label tells them apart.
          const metrics = consumerMetrics(registry);
          return parts.consumers.map((spec) => runnerOf(spec, kafka, c, log, metrics));
        },
      },
      {
        provide: ConsumerHost,
        inject: [SERVICE_PARTS, CONSUMER_RUNNERS, MetricsServer, SERVICE_LOGGER],
        useFactory: (
          parts: ConsumerServiceParts,
          runners: ConsumerRunner<unknown>[],
          metricsServer: MetricsServer,
          log: Logger,
        ) => {
          // The endpoint is the first resource, so a failed start closes it too.
          const endpoint = resource(
            'metrics endpoint',
            () => metricsServer.start(),
            () => metricsServer.stop(),
          );
          const resources = [endpoint, ...(parts.resources ?? [])];
          return new ConsumerHost(definition.name, resources, runners, log);
        },
      },
    ];
    return { module: ConsumerHostModule, providers };
  }
}

function runnerOf(
  spec: ConsumerSpec<unknown>,
  kafka: Kafka,
  config: ConsumerServiceConfig,
  logger: Logger,
  metrics: ConsumerMetrics,
): ConsumerRunner<unknown> {
  return new ConsumerRunner(kafka, {
    topic: spec.topic,
    groupId: spec.groupId,
    decode: toDecoder(spec.decode),
    handle: (records) => spec.handle(records),
    logger: spec.logger ?? logger,
    metrics,
    maxAttempts: config.CONSUMER_MAX_RETRIES,
    retryBaseMs: config.CONSUMER_RETRY_BASE_MS,
    minBytes: spec.minBytes,
    maxWaitTimeInMs: spec.maxWaitTimeInMs,
    maxBytesPerPartition: spec.maxBytesPerPartition,
    partitionsConcurrently: spec.partitionsConcurrently,
    fromBeginning: spec.fromBeginning ?? true,
  });
}
