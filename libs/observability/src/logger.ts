import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** @default 'info' */
  level?: string;
  /** `json` for production; `pretty` prints one readable line per record. @default 'json' */
  format?: 'json' | 'pretty';
  /** Where lines go. @default stdout */
  destination?: NodeJS.WritableStream;
}

/** Field names whose values are never written to logs. */
const REDACT_PATHS = [
  'apiKey',
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'password',
  'secret',
  'prompt',
  'content',
  'text',
];

/** One root logger per process; classes take `logger.child({ component })`. */
export function createLogger(name: string, opts: LoggerOptions = {}): Logger {
  const destination = opts.destination ?? process.stdout;
  const options: pino.LoggerOptions = {
    name,
    level: opts.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (opts.format === 'pretty') {
    return pino(options, prettyStream(destination));
  }
  return pino(options, destination as pino.DestinationStream);
}

/** A dependency-free single-line formatter for local runs. */
function prettyStream(out: NodeJS.WritableStream): pino.DestinationStream {
  const levels: Record<number, string> = {
    10: 'TRACE',
    20: 'DEBUG',
    30: 'INFO',
    40: 'WARN',
    50: 'ERROR',
    60: 'FATAL',
  };
  return {
    write(line: string) {
      const {
        level,
        time,
        msg,
        service,
        component,
        pid: _pid,
        hostname: _h,
        ...rest
      } = JSON.parse(line) as Record<string, unknown>;
      const extra = Object.keys(rest).length ? ' ' + JSON.stringify(rest) : '';
      const who =
        typeof component === 'string' ? `${String(service)}/${component}` : String(service);
      out.write(
        `${String(time)} ${levels[level as number] ?? String(level)} [${who}] ${String(msg)}${extra}\n`,
      );
    },
  };
}
