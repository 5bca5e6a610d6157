import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export { Counter, Histogram, Gauge, Registry } from 'prom-client';

/** One Prometheus registry per process, with Node's default metrics. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** Metrics every Kafka consumer of the platform exposes, by topic and consumer group. */
export function consumerMetrics(registry: Registry) {
  return {
    processed: new Counter({
      name: 'llmops_consumer_records_total',
      help: 'Records handled, by topic and outcome (ok, dlq)',
      labelNames: ['topic', 'group', 'outcome'],
      registers: [registry],
    }),
    retries: new Counter({
      name: 'llmops_consumer_retries_total',
      help: 'Handler retries after a failure, by fault (transient, deployment, record, unclassified)',
      labelNames: ['topic', 'group', 'fault'],
      registers: [registry],
    }),
    paused: new Gauge({
      name: 'llmops_consumer_paused',
      help: '1 while a partition waits for a transient or deployment fault to clear (nothing is dead-lettered meanwhile)',
      labelNames: ['topic', 'group', 'partition', 'fault'],
      registers: [registry],
    }),
    deadLetters: new Counter({
      name: 'llmops_consumer_dead_letters_total',
      help: 'Records sent to the DLQ, by source topic, consumer group and reason (the error class, e.g. DecodeError, ContractValidationError); `llmops dlq list` shows each one',
      labelNames: ['topic', 'group', 'reason'],
      registers: [registry],
    }),
    batchSeconds: new Histogram({
      name: 'llmops_consumer_batch_seconds',
      help: 'Time to handle one batch, side effects and commit included',
      labelNames: ['topic', 'group'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
  };
}
export type ConsumerMetrics = ReturnType<typeof consumerMetrics>;
