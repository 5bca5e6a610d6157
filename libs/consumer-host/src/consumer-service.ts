import type { Kafka } from 'kafkajs';
import type { ConsumerServiceConfig } from '@llmops/config';
import { topicNames, type TopicNames } from '@llmops/contracts';
import type { ConsumedRecord, ConsumerRunnerOptions, Decoder } from '@llmops/kafka';
import type { Logger, Registry } from '@llmops/observability';

/**
 * Something a consumer service owns: opened before any consumer starts,
 * closed after every consumer stopped, in reverse order of the list.
 */
export interface OwnedResource {
  /** For logs: "kafka publisher", "redis", "syslog sink", ... */
  readonly name: string;
  open(): Promise<void>;
  close(): Promise<void>;
}

/** A resource from its two steps; either may be left out (nothing to do then). */
export function resource(
  name: string,
  open?: () => Promise<unknown>,
  close?: () => Promise<unknown>,
): OwnedResource {
  return {
    name,
    open: async () => void (await open?.()),
    close: async () => void (await close?.()),
  };
}

/** A client that connects and disconnects (an `EventPublisher`, a kafkajs producer) as a resource. */
export function connection(
  name: string,
  client: { connect(): Promise<unknown>; disconnect(): Promise<unknown> },
): OwnedResource {
  return resource(
    name,
    () => client.connect(),
    () => client.disconnect(),
  );
}

/** Fetch tuning a consumer may set; everything else the host fills in from the config. */
type RunnerTuning = Partial<
  Pick<
    ConsumerRunnerOptions<unknown>,
    'minBytes' | 'maxWaitTimeInMs' | 'maxBytesPerPartition' | 'partitionsConcurrently'
  >
>;

/**
 * One consumer group member of the service. The host adds the logger, the
 * consumer metrics and the retry settings (`CONSUMER_MAX_RETRIES`,
 * `CONSUMER_RETRY_BASE_MS`).
 */
export interface ConsumerSpec<T> extends RunnerTuning {
  topic: string;
  groupId: string;
  /** A codec for the message's value, or a function of the whole message; a throw is poison (DLQ at once). */
  decode: Decoder<T> | ValueCodec<T>;
  /**
   * The batch's side effect; offsets are committed only after it resolved.
   * Method syntax on purpose: a service's list holds consumers of different
   * record types.
   */
  handle(records: ConsumedRecord<T>[]): Promise<void>;
  /** @default true: a new group reads the topic from its start, so nothing written before it is missed. */
  fromBeginning?: boolean;
  /** @default the service's logger */
  logger?: Logger;
}

/** A consumer, its record type taken from `decode` (so `handle` is typed without annotations). */
export function consumer<T>(spec: ConsumerSpec<T>): ConsumerSpec<T> {
  return spec;
}

/** An event codec (`invocationCodec`, ...): what a `decode` of a consumer may be instead of a function. */
export interface ValueCodec<T> {
  decode(value: Buffer): T;
}

/** The decoder of a consumer's `decode`: a codec reads the message's value (empty is poison too). */
export function toDecoder<T>(decode: Decoder<T> | ValueCodec<T>): Decoder<T> {
  if (typeof decode === 'function') return decode;
  return (message) => decode.decode(message.value ?? Buffer.alloc(0));
}

/** What the host hands a service's `build`. */
export interface ConsumerServiceContext<C extends ConsumerServiceConfig> {
  config: C;
  logger: Logger;
  /** The service's Kafka client (client id `<KAFKA_CLIENT_ID>-<name>`). */
  kafka: Kafka;
  /** Topic names under `TOPIC_PREFIX`. */
  topics: TopicNames;
  /** The registry `/metrics` serves, for the service's own metrics. */
  registry: Registry;
}

/** What a service is made of. */
export interface ConsumerServiceParts {
  /** Opened in this order before consuming, closed in reverse after. @default [] */
  resources?: OwnedResource[];
  consumers: ConsumerSpec<unknown>[];
}

/** The one declaration of a consumer service. */
export interface ConsumerServiceDefinition<C extends ConsumerServiceConfig> {
  /** Service name: logger name, metrics `service` label, Kafka client id suffix. */
  name: string;
  /** Builds the service's objects; nothing may connect here (the host opens the resources). */
  build(ctx: ConsumerServiceContext<C>): ConsumerServiceParts | Promise<ConsumerServiceParts>;
}

/** Declares a consumer service; `startConsumerService` and `runConsumerService` run it. */
export function defineConsumerService<C extends ConsumerServiceConfig>(
  definition: ConsumerServiceDefinition<C>,
): ConsumerServiceDefinition<C> {
  return definition;
}

/** The context of a service, as the host's providers build it. */
export function serviceContext<C extends ConsumerServiceConfig>(
  config: C,
  logger: Logger,
  kafka: Kafka,
  registry: Registry,
): ConsumerServiceContext<C> {
  return { config, logger, kafka, registry, topics: topicNames(config.TOPIC_PREFIX) };
}
