import { once } from 'node:events';
import { ContractValidationError, securityEventCodec, type SecurityEvent } from '@llmops/contracts';
import { SiemFormatError } from './errors';
import { SIEM_FORMATTERS, type SiemRecordFormat } from './formats';
import { toSyslog, type SyslogOptions } from './syslog';

export type SiemFormat = SiemRecordFormat | 'syslog';

export interface SiemFormatCliOptions {
  format: SiemFormat;
  /** Options of the `syslog` format. */
  syslog?: SyslogOptions;
  /**
   * Longest input line accepted; a longer one is reported and skipped without being buffered whole.
   * @default 1048576
   */
  maxLineBytes?: number;
}

const FORMATTERS: Record<SiemFormat, (e: SecurityEvent, opts: SiemFormatCliOptions) => string> = {
  ...SIEM_FORMATTERS,
  syslog: (e, opts) => toSyslog(e, opts.syslog),
};

/**
 * Reads security events as JSON lines (the JSON form of the Avro record) from
 * `input` and writes one formatted record per line to `output`. A bad line is
 * reported on `errOut` with its line number and skipped; blank lines are
 * ignored. Resolves to 0 when every line was formatted, 1 when any failed,
 * 2 for an unknown format.
 */
export async function runSiemFormatCli(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  errOut: NodeJS.WritableStream,
  opts: SiemFormatCliOptions,
): Promise<number> {
  const formatter = Object.hasOwn(FORMATTERS, opts.format) ? FORMATTERS[opts.format] : undefined;
  if (!formatter) {
    await write(
      errOut,
      `unknown format ${JSON.stringify(opts.format)}; expected one of ${Object.keys(FORMATTERS).join(', ')}\n`,
    );
    return 2;
  }
  const maxLineBytes = opts.maxLineBytes ?? 1024 * 1024;
  let failed = 0;
  for await (const line of readLines(input, maxLineBytes)) {
    if (line.text !== undefined && line.text.trim() === '') continue;
    const result =
      line.text === undefined
        ? { error: `longer than ${maxLineBytes} bytes` }
        : formatLine(line.text, formatter, opts);
    if ('error' in result) {
      failed += 1;
      await write(errOut, `line ${line.number}: ${result.error}\n`);
    } else {
      await write(output, `${result.record}\n`);
    }
  }
  return failed > 0 ? 1 : 0;
}

function formatLine(
  text: string,
  formatter: (e: SecurityEvent, opts: SiemFormatCliOptions) => string,
  opts: SiemFormatCliOptions,
): { record: string } | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the input, which may hold personal data.
    return { error: 'not valid JSON' };
  }
  try {
    return { record: formatter(securityEventCodec.fromJson(json), opts) };
  } catch (err) {
    if (err instanceof ContractValidationError) return { error: err.message };
    if (err instanceof SiemFormatError) return { error: `cannot be formatted: ${err.message}` };
    throw err;
  }
}

interface Line {
  number: number;
  /** Undefined when the line exceeded the limit. */
  text: string | undefined;
}

/** Splits a byte stream on LF (dropping a CR before it) without holding more than `maxBytes` of one line. */
async function* readLines(input: NodeJS.ReadableStream, maxBytes: number): AsyncGenerator<Line> {
  let parts: Buffer[] = [];
  let size = 0;
  let oversized = false;
  let number = 0;
  const finish = (): Line => {
    number += 1;
    let text: string | undefined;
    if (!oversized) {
      const buf = Buffer.concat(parts, size);
      const end = buf.length > 0 && buf[buf.length - 1] === 0x0d ? buf.length - 1 : buf.length;
      text = buf.toString('utf8', 0, end);
    }
    parts = [];
    size = 0;
    oversized = false;
    return { number, text };
  };
  for await (const chunk of input) {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    while (buf.length > 0) {
      const nl = buf.indexOf(0x0a);
      const piece = nl === -1 ? buf : buf.subarray(0, nl);
      if (!oversized) {
        if (size + piece.length > maxBytes) {
          oversized = true;
          parts = [];
          size = 0;
        } else {
          parts.push(piece);
          size += piece.length;
        }
      }
      if (nl === -1) break;
      yield finish();
      buf = buf.subarray(nl + 1);
    }
  }
  if (size > 0 || oversized) yield finish();
}

async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream as unknown as NodeJS.EventEmitter, 'drain');
}
