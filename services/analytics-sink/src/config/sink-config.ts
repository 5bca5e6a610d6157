import * as path from 'node:path';
import { z } from 'zod';
import { clickhouseConfigShape, consumerServiceConfigShape, env, loadConfig } from '@llmops/config';

/** deploy/clickhouse/migrations, from src/config or dist/config alike. */
const DEFAULT_MIGRATIONS_DIR = path.resolve(__dirname, '../../../../deploy/clickhouse/migrations');

export const sinkConfigSchema = z.object({
  ...consumerServiceConfigShape,
  ...clickhouseConfigShape,
  CLICKHOUSE_MIGRATIONS_DIR: z
    .string()
    .default(DEFAULT_MIGRATIONS_DIR)
    .describe('a folder of NNNN_name.sql files'),
  SINK_GROUP_ID: env.name('llmops-analytics-sink'),
  /** Its own group: members of one group must subscribe to the same topics. */
  SINK_GUARDRAIL_FINDINGS_GROUP_ID: env.name('llmops-analytics-sink-guardrail-findings'),
  SINK_BATCH_MIN_BYTES: env.int(1, 64 * 1_048_576, 262_144),
  SINK_BATCH_MAX_WAIT_MS: env.int(10, 60_000, 1_000),
  SINK_BATCH_MAX_BYTES_PER_PARTITION: env.int(1_024, 256 * 1_048_576, 8 * 1_048_576),
});

export type SinkConfig = z.infer<typeof sinkConfigSchema>;

export function loadSinkConfig(vars: Record<string, string | undefined> = process.env): SinkConfig {
  return loadConfig(sinkConfigSchema, vars);
}
