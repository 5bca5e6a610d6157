import { runScanCli } from '@llmops/pii';
import { parse, UsageError } from '../args';
import type { CliContext } from '../context';

export const piiHelp = `llmops pii scan [--redact]
  reads JSON lines {"id": "...", "text": "..."} on stdin; writes
  {"id": "...", "findings": [{"type", "start", "end", "score"}]} per line
  (offsets in UTF-16 code units), or with --redact {"id": "...", "text": "<redacted>"}`;

export async function piiCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'scan') throw new UsageError(`pii: expected 'scan'\n${piiHelp}`);
  const { values } = parse('pii scan', rest, { redact: { type: 'boolean', default: false } });
  return runScanCli(process.stdin, process.stdout, {
    redact: values.redact === true,
    ...(ctx.config.PII_HMAC_KEY ? { hmacKey: ctx.config.PII_HMAC_KEY } : {}),
  });
}
