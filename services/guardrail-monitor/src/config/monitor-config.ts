import { z } from 'zod';
import { consumerServiceConfigShape, env, loadConfig } from '@llmops/config';

/** Severities a security event may be required to reach (`unknown` always passes; see README). */
export const MIN_SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;

export const monitorConfigSchema = z.object({
  ...consumerServiceConfigShape,
  GUARDRAIL_MONITOR_GROUP_ID: env.name('llmops-guardrail-monitor'),
  GUARDRAIL_MONITOR_MIN_SEVERITY: env.enumOf(MIN_SEVERITIES, 'low'),
});

export type MonitorConfig = z.infer<typeof monitorConfigSchema> & {
  /** The value of a variable a guardrail webhook names as its HMAC key (`secret_env`). */
  GUARDRAIL_SECRETS: (name: string) => string | undefined;
};

/**
 * The monitor's configuration. Its rules are not configured here: they are the control plane's
 * (`llmops.control.guardrail-rules.v1`), the same the gateway enforces, managed with
 * `llmops guardrails add` or the gateway's GATEWAY_GUARDRAILS_FILE.
 */
export function loadMonitorConfig(
  vars: Record<string, string | undefined> = process.env,
): MonitorConfig {
  return { ...loadConfig(monitorConfigSchema, vars), GUARDRAIL_SECRETS: (name) => vars[name] };
}
