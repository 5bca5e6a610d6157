import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { GuardrailConfigError, loadRules, type Rule } from '@llmops/guardrails';
import {
  ConfigError,
  env,
  kafkaConfigShape,
  loadConfig,
  logConfigShape,
  redisConfigShape,
} from '@llmops/config';
import {
  loadGatewayFile,
  readCredential,
  type CredentialRead,
  type CredentialSpec,
  type GatewayDeclared,
  type GatewayRoutes,
} from '../gateway/gateway-config';

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
  GATEWAY_ADMIN_TENANTS: z
    .string()
    .regex(/^[A-Za-z0-9._-]+(,[A-Za-z0-9._-]+)*$/, 'must be a comma-separated list of tenants')
    .transform((v) => v.split(','))
    .optional()
    .describe('a comma-separated list of tenant ids, e.g. platform,ops; unset: every tenant'),
  GATEWAY_MAX_ATTEMPTS: env.int(1, 10, 3),
  GATEWAY_MAX_RETRY_WAIT_MS: env.int(0, 60_000, 5_000),
  GATEWAY_MAX_PENDING_RECORDS: env.int(100, 1_000_000, 10_000),
  GATEWAY_SPOOL_DIR: z
    .string()
    .min(1)
    .optional()
    .describe(
      "a directory on this replica's durable local storage, its own (required when a tenant's when_kafka_down is spool)",
    ),
  GATEWAY_SPOOL_MAX_BYTES: env.int(1_048_576, 1_099_511_627_776, 1_073_741_824),
  GATEWAY_BUDGET_HOLD_GRACE_MS: env.int(0, 600_000, 15_000),
  GATEWAY_GUARDRAILS_FILE: z
    .string()
    .min(1)
    .optional()
    .describe("a path to the gateway's YAML or JSON file of guardrail rules"),
  PRICING_FILE: z
    .string()
    .min(1)
    .optional()
    .describe('a path to a JSON price file that adds to or overrides the built-in prices'),
});

export type IngressConfig = z.infer<typeof ingressConfigSchema> & {
  /** The rules of GATEWAY_GUARDRAILS_FILE, checked at start (none without the file). */
  GATEWAY_GUARDRAILS: Rule[];
  /** Upstreams (credentials read) and routes from GATEWAY_CONFIG_FILE, and its tenant policies. */
  GATEWAY_ROUTES: GatewayRoutes;
  /** The file's upstreams and routes as declared, applied to the control plane at start. */
  GATEWAY_DECLARED: GatewayDeclared | undefined;
  /** Reads an upstream's credential from this process's environment or a file. */
  GATEWAY_CREDENTIALS: (c: CredentialSpec) => CredentialRead;
  /** The value of a variable a guardrail webhook names as its HMAC key (`secret_env`). */
  GUARDRAIL_SECRETS: (name: string) => string | undefined;
};

/** The rules of a guardrails file; a problem stops the start, naming the file, rule and field. */
function guardrailRules(file: string): Rule[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([
      `GATEWAY_GUARDRAILS_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'}); give the path of a YAML or JSON rules file`,
    ]);
  }
  try {
    return loadRules(text, file);
  } catch (err) {
    if (err instanceof GuardrailConfigError)
      throw new ConfigError([`GATEWAY_GUARDRAILS_FILE: ${err.message}`]);
    throw err;
  }
}

export function loadIngressConfig(
  vars: Record<string, string | undefined> = process.env,
): IngressConfig {
  const config = loadConfig(ingressConfigSchema, vars);
  const { routes, declared } = loadGatewayFile(config.GATEWAY_CONFIG_FILE, vars);
  const spooling = [routes.whenKafkaDown.default, ...routes.whenKafkaDown.byTenant.values()];
  if (spooling.includes('spool') && !config.GATEWAY_SPOOL_DIR)
    throw new ConfigError([
      'GATEWAY_SPOOL_DIR: is required because GATEWAY_CONFIG_FILE has when_kafka_down: spool; set it to a directory on durable local storage, one per ingress replica',
    ]);
  return {
    ...config,
    GATEWAY_GUARDRAILS: config.GATEWAY_GUARDRAILS_FILE
      ? guardrailRules(config.GATEWAY_GUARDRAILS_FILE)
      : [],
    GATEWAY_ROUTES: routes,
    GATEWAY_DECLARED: declared,
    GATEWAY_CREDENTIALS: (c) => readCredential(c, vars),
    GUARDRAIL_SECRETS: (name) => vars[name],
  };
}
