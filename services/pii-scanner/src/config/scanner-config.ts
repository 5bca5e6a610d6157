import { z } from 'zod';
import { consumerServiceConfigShape, env, loadConfig } from '@llmops/config';
import { DEFAULT_DESTINATION_POLICIES, assertPolicy, type DestinationPolicies } from '@llmops/pii';

/** `PII_POLICIES`: JSON `{"external": policy, "internal": policy}`, each `{"default": op, "byType": {TYPE: op}}`. */
const policies = z
  .string()
  .optional()
  .transform((raw, ctx): DestinationPolicies => {
    if (raw === undefined) return DEFAULT_DESTINATION_POLICIES;
    try {
      const parsed = JSON.parse(raw) as Partial<DestinationPolicies>;
      const merged = { ...DEFAULT_DESTINATION_POLICIES, ...parsed };
      assertPolicy(merged.external, 'external');
      assertPolicy(merged.internal, 'internal');
      return merged;
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
  })
  .describe(
    'JSON {"external": {"default": "placeholder", "byType": {"CREDIT_CARD": "mask"}}, "internal": {...}} with operators redact, placeholder, mask, hash, drop; default: placeholders for external, hashes for internal',
  );

export const scannerConfigSchema = z.object({
  ...consumerServiceConfigShape,
  PII_HMAC_KEY: env.secret(32),
  PII_MIN_SCORE: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(0.5)
    .describe('a confidence from 0 to 1, default 0.5'),
  PII_POLICIES: policies,
  PII_SCANNER_GROUP_ID: env.name('llmops-pii-scanner'),
});

export type ScannerConfig = z.infer<typeof scannerConfigSchema>;

export function loadScannerConfig(
  vars: Record<string, string | undefined> = process.env,
): ScannerConfig {
  return loadConfig(scannerConfigSchema, vars);
}
