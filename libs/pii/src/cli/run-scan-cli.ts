import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { PiiEngine } from '../engine';
import { canonicalValue, valueHash } from '../redact/hash';
import { DEFAULT_DESTINATION_POLICIES } from '../redact/policy';
import { Redactor } from '../redact/redactor';
import { parseLine, LineError } from './parse-line';

/** Options of {@link runScanCli}. */
export interface ScanCliOptions {
  /** Write redacted text (external policy: typed placeholders) instead of findings. */
  redact: boolean;
  /**
   * Key for value hashes. With it, each finding also carries `valueHash`; without it, a random
   * per-run key is used for redaction and no hash is printed.
   */
  hmacKey?: string;
}

async function write(output: NodeJS.WritableStream, value: unknown): Promise<void> {
  if (!output.write(`${JSON.stringify(value)}\n`)) await once(output, 'drain');
}

/**
 * Reads JSON lines `{"id": "...", "text": "..."}` and writes one JSON line per input line:
 * `{"id", "findings": [{"type", "start", "end", "score"}]}`, or `{"id", "text"}` with
 * `redact`. A bad line produces `{"line": n, "error": "..."}` (1-based, never echoing the
 * input) and processing goes on. Resolves to 0, or 1 when any line was bad, or 2 when the
 * input stream itself failed.
 */
export async function runScanCli(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  opts: ScanCliOptions,
): Promise<number> {
  const engine = new PiiEngine();
  const key = opts.hmacKey ?? randomBytes(32);
  let bad = 0;
  let lineNo = 0;
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const raw of lines) {
      lineNo++;
      if (raw.trim() === '') continue;
      let record: { id: string | number; text: string };
      try {
        record = parseLine(raw);
      } catch (err) {
        if (!(err instanceof LineError)) throw err;
        bad++;
        await write(output, { line: lineNo, error: err.message });
        continue;
      }
      const findings = engine.scan(record.text);
      if (opts.redact) {
        const redactor = new Redactor({
          hmacKey: key,
          tenant: '',
          policy: DEFAULT_DESTINATION_POLICIES.external,
        });
        await write(output, { id: record.id, text: redactor.apply(record.text, findings).text });
      } else {
        const list = findings.map((f) => {
          const base = { type: f.type, start: f.start, end: f.end, score: f.score };
          if (opts.hmacKey === undefined) return base;
          const value = canonicalValue(f.type, record.text.slice(f.start, f.end));
          return { ...base, valueHash: valueHash(opts.hmacKey, '', value) };
        });
        await write(output, { id: record.id, findings: list });
      }
    }
  } catch (err) {
    await write(output, {
      line: lineNo + 1,
      error: `input failed: ${err instanceof Error ? err.message : String(err)}`,
    });
    return 2;
  }
  return bad > 0 ? 1 : 0;
}
