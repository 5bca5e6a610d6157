import { z } from 'zod';
import { env, kafkaConfigShape, loadConfig, logConfigShape } from '@llmops/config';

export const scannerConfigSchema = z.object({
  ...kafkaConfigShape,
  ...logConfigShape,
  PII_HMAC_KEY: env.secret(32),
  PII_MIN_SCORE: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(0.5)
    .describe('a confidence from 0 to 1, default 0.5'),
  PII_SCANNER_GROUP_ID: env.name('llmops-pii-scanner'),
});

export type ScannerConfig = z.infer<typeof scannerConfigSchema>;

export function loadScannerConfig(
  vars: Record<string, string | undefined> = process.env,
): ScannerConfig {
  return loadConfig(scannerConfigSchema, vars);
}
