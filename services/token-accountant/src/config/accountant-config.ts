import { z } from 'zod';
import { consumerServiceConfigShape, env, loadConfig, redisConfigShape } from '@llmops/config';

export const accountantConfigSchema = z.object({
  ...consumerServiceConfigShape,
  ...redisConfigShape,
  ACCOUNTANT_GROUP_ID: env.name('llmops-token-accountant'),
  // Must outlast every redelivery: Kafka can hand an event again for as long as the raw
  // topic keeps it (RAW_RETENTION_MS, 3 days by default), so 4 days by default.
  ACCOUNTANT_DEDUPE_TTL_S: env.int(3_600, 90 * 86_400, 4 * 86_400),
  // The counting script is atomic per call (dedupe and threshold claims inside it), so
  // batches of different partitions need no ordering between them.
  ACCOUNTANT_PARTITIONS_CONCURRENTLY: env.int(1, 64, 3),
  PRICING_FILE: z
    .string()
    .min(1)
    .optional()
    .describe('a path to a JSON price file that adds to or overrides the built-in prices'),
});

export type AccountantConfig = z.infer<typeof accountantConfigSchema>;

export function loadAccountantConfig(
  vars: Record<string, string | undefined> = process.env,
): AccountantConfig {
  return loadConfig(accountantConfigSchema, vars);
}
