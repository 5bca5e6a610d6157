import { z } from 'zod';
import {
  env,
  kafkaConfigShape,
  loadConfig,
  logConfigShape,
  redisConfigShape,
} from '@llmops/config';
import { loadGatewayRoutes, type GatewayRoutes } from '../gateway/gateway-config';

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
  GATEWAY_CONFIG_FILE: z
    .string()
    .min(1)
    .optional()
    .describe("a path to the gateway's YAML file of upstreams and routes"),
  GATEWAY_MAX_ATTEMPTS: env.int(1, 10, 3),
  GATEWAY_MAX_RETRY_WAIT_MS: env.int(0, 60_000, 5_000),
  GATEWAY_MAX_PENDING_RECORDS: env.int(100, 1_000_000, 10_000),
});

export type IngressConfig = z.infer<typeof ingressConfigSchema> & {
  /** Upstreams (credentials read) and routes from GATEWAY_CONFIG_FILE. */
  GATEWAY_ROUTES: GatewayRoutes;
};

export function loadIngressConfig(
  vars: Record<string, string | undefined> = process.env,
): IngressConfig {
  const config = loadConfig(ingressConfigSchema, vars);
  return { ...config, GATEWAY_ROUTES: loadGatewayRoutes(config.GATEWAY_CONFIG_FILE, vars) };
}
