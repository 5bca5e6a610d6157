import { z } from 'zod';
import {
  env,
  kafkaConfigShape,
  loadConfig,
  logConfigShape,
  redisConfigShape,
} from '@llmops/config';

export const ingressConfigSchema = z.object({
  ...kafkaConfigShape,
  ...logConfigShape,
  INGRESS_HOST: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe('an interface address, default 127.0.0.1'),
  INGRESS_PORT: env.int(0, 65_535, 8080),
  INGRESS_MAX_BODY_BYTES: env.int(1_024, 100 * 1_048_576, 5 * 1_048_576),
  INGRESS_MAX_BATCH_EVENTS: env.int(1, 10_000, 1_000),
  INGRESS_MAX_JSON_DEPTH: env.int(4, 256, 32),
  INGRESS_ACK_TIMEOUT_MS: env.int(100, 120_000, 10_000),
  INGRESS_MAX_QUEUED_EVENTS: env.int(100, 1_000_000, 20_000),
  ...redisConfigShape,
});

export type IngressConfig = z.infer<typeof ingressConfigSchema>;

export function loadIngressConfig(
  vars: Record<string, string | undefined> = process.env,
): IngressConfig {
  return loadConfig(ingressConfigSchema, vars);
}
