import type { INestApplicationContext } from '@nestjs/common';
import { createClickHouseClient, migrate } from '@llmops/clickhouse';
import {
  consumer,
  defineConsumerService,
  resource,
  startConsumerService,
} from '@llmops/consumer-host';
import { guardrailFindingCodec } from '@llmops/contracts';
import type { Logger } from '@llmops/observability';
import type { SinkConfig } from './config/sink-config';
import { GuardrailFindingWriter } from './guardrail-findings/finding-writer';
import { InvocationWriter } from './invocations/invocation-writer';
import { decodeRedacted } from './invocations/redacted-invocation';

/**
 * Redacted invocations and guardrail findings in, ClickHouse rows out: one
 * insert per fetched batch and table (Kafka's fetch.min.bytes / fetch.max.wait
 * bound its size and age), offsets committed only after ClickHouse accepted
 * it. Each topic has its own consumer group. Applies the migrations before it
 * consumes.
 */
export const analyticsSink = defineConsumerService<SinkConfig>({
  name: 'analytics-sink',
  build: ({ config, logger, topics }) => {
    const clickhouse = createClickHouseClient({
      url: config.CLICKHOUSE_URL,
      username: config.CLICKHOUSE_USER,
      password: config.CLICKHOUSE_PASSWORD,
    });
    const writer = new InvocationWriter(clickhouse, { database: config.CLICKHOUSE_DATABASE });
    const findings = new GuardrailFindingWriter(clickhouse, {
      database: config.CLICKHOUSE_DATABASE,
    });
    const batching = {
      minBytes: config.SINK_BATCH_MIN_BYTES,
      maxWaitTimeInMs: config.SINK_BATCH_MAX_WAIT_MS,
      maxBytesPerPartition: config.SINK_BATCH_MAX_BYTES_PER_PARTITION,
    };
    const migrated = async () => {
      const { applied } = await migrate(clickhouse, {
        database: config.CLICKHOUSE_DATABASE,
        migrationsDir: config.CLICKHOUSE_MIGRATIONS_DIR,
      });
      logger.info({ applied: applied.map((m) => m.name) }, 'ClickHouse migrations up to date');
    };
    return {
      resources: [resource('clickhouse', migrated, () => clickhouse.close())],
      consumers: [
        consumer({
          topic: topics.invocationsRedacted,
          groupId: config.SINK_GROUP_ID,
          decode: decodeRedacted,
          handle: (records) => writer.write(records.map((r) => r.value)),
          ...batching,
        }),
        consumer({
          topic: topics.guardrailFindings,
          groupId: config.SINK_GUARDRAIL_FINDINGS_GROUP_ID,
          decode: guardrailFindingCodec,
          handle: (records) => findings.write(records.map((r) => r.value)),
          ...batching,
        }),
      ],
    };
  },
});

/** Starts the analytics sink; `close()` on the result drains and disconnects. */
export function startAnalyticsSink(
  config: SinkConfig,
  logger?: Logger,
): Promise<INestApplicationContext> {
  return startConsumerService(analyticsSink, config, logger);
}
