import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { kafkaLogCreator, type Logger } from '@llmops/observability';

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /** @default 10000 */
  connectionTimeoutMs?: number;
  /** Retry settings of kafkajs's own requests. */
  retry?: KafkaConfig['retry'];
}

/** A kafkajs client whose logs go through the service's logger. */
export function createKafka(opts: KafkaClientOptions): Kafka {
  return new Kafka({
    brokers: opts.brokers,
    clientId: opts.clientId,
    connectionTimeout: opts.connectionTimeoutMs ?? 10_000,
    requestTimeout: 30_000,
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(opts.logger),
    retry: opts.retry ?? { initialRetryTime: 200, retries: 8, maxRetryTime: 5_000 },
  });
}
