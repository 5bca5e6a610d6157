import {
  Kafka,
  logLevel,
  type Consumer,
  type ConsumerConfig,
  type ConsumerRunConfig,
  type KafkaConfig,
} from 'kafkajs';
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

/**
 * A kafkajs consumer that never comes back after `disconnect`. After a crash kafkajs
 * disconnects, decides, emits `consumer.crash`, and only then sets the timer that restarts it:
 * a `disconnect` of its owner that lands in between (a crash listener that closes, or a stop
 * while a broker is down) clears no timer, and the restart reconnects a closed consumer, with
 * sockets and retry timers that keep the process alive (seen when a broker of a cluster died
 * under a test). So this consumer tells kafkajs never to restart it and restarts it itself, on
 * a timer `disconnect` clears: the same errors restart it (retries exhausted, or a retriable
 * cause), after the same delay, and `restartOnFailure` in `config` still has the last word.
 */
export function closableConsumer(kafka: Kafka, config: ConsumerConfig): Consumer {
  let closed = false;
  let restartTimer: NodeJS.Timeout | undefined;
  let lastRun: ConsumerRunConfig | undefined;
  const decide = config.retry?.restartOnFailure;
  const consumer = kafka.consumer({
    ...config,
    retry: { ...config.retry, restartOnFailure: () => Promise.resolve(false) },
  });
  const run = consumer.run.bind(consumer);
  const disconnect = consumer.disconnect.bind(consumer);
  consumer.run = (runConfig) => {
    lastRun = runConfig;
    return run(runConfig);
  };
  consumer.disconnect = () => {
    closed = true;
    clearTimeout(restartTimer);
    return disconnect();
  };
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    const err = payload.error as Error & { retryTime?: number };
    if (closed || !restartsAfter(err)) return;
    void (async () => {
      const again = decide ? await decide(err).catch(() => true) : true;
      if (!again || closed) return;
      const delay = err.retryTime ?? config.retry?.initialRetryTime ?? 300;
      restartTimer = setTimeout(() => {
        if (!closed) void consumer.run(lastRun).catch(() => undefined);
      }, delay);
    })();
  });
  return consumer;
}

/** kafkajs's own rule for restarting a crashed consumer. */
function restartsAfter(err: Error & { cause?: unknown }): boolean {
  if (err.name === 'KafkaJSNumberOfRetriesExceeded') return true;
  let cause: unknown = err;
  while (typeof cause === 'object' && cause !== null && 'cause' in cause && cause.cause)
    cause = cause.cause;
  return (cause as { retriable?: boolean }).retriable === true;
}
