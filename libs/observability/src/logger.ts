import { types } from 'node:util';
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

/** What a redacted value is replaced with. */
export const REDACTED = '[redacted]';

/**
 * Keys whose values never reach a log, at any depth: prompt and response text
 * in the names of the invocation contract, of the OpenAI and Anthropic APIs
 * and of OpenTelemetry GenAI, and credentials. Matched without case, `-` or
 * `_`, so `input_messages`, `inputMessages` and `Input-Messages` are one key.
 */
const SENSITIVE_KEYS = new Set(
  [
    // prompt and response text
    'content',
    'text',
    'prompt',
    'prompts',
    'completion',
    'completions',
    'messages',
    'input_messages',
    'output_messages',
    'system_instructions',
    'instructions',
    'system',
    'input',
    'output',
    'choices',
    'arguments',
    'result',
    'tools',
    'tool_definitions',
    'retrievals',
    'retrieved_documents',
    'documents',
    'body',
    'raw_body',
    'error_message',
    // credentials
    'api_key',
    'x-api-key',
    'api-key',
    'x-llmops-provider-key',
    'authorization',
    'proxy-authorization',
    'cookie',
    'set-cookie',
    'password',
    'secret',
    'client_secret',
    'token',
    'access_token',
    'refresh_token',
    'id_token',
    'private_key',
  ].map(normalizeKey),
);

/** Deeper than this, a logged object is cut (a log line is not a data dump). */
const MAX_LOG_DEPTH = 8;

/** Also true for errors of another realm (Node's own errors seen from a vm context such as Jest's). */
function isError(value: unknown): value is Error {
  return value instanceof Error || types.isNativeError(value);
}

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * A copy of `value` fit for a log line: the values of `SENSITIVE_KEYS`
 * replaced at any depth, errors serialised with their stack and causes (each
 * cause with its own stack), binary data by its size only, cycles and
 * nesting beyond `MAX_LOG_DEPTH` cut. Never mutates `value`.
 */
export function redactForLog(value: unknown): unknown {
  return scrub(value, 0, new WeakSet());
}

function scrub(value: unknown, depth: number, ancestors: WeakSet<object>): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (ancestors.has(value)) return '[circular]';
  if (depth >= MAX_LOG_DEPTH) return '[cut: nested too deep]';
  if (ArrayBuffer.isView(value)) return `[binary: ${value.byteLength} bytes]`;
  if (value instanceof Date) return value;
  if (!isError(value) && typeof (value as { toJSON?: unknown }).toJSON === 'function')
    return scrub((value as { toJSON(): unknown }).toJSON(), depth, ancestors);
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1, ancestors));
    if (value instanceof Map) return scrubEntries([...value.entries()], depth, ancestors);
    if (value instanceof Set) return [...value].map((v) => scrub(v, depth + 1, ancestors));
    if (isError(value)) {
      // type, message, stack, aggregateErrors and cause (recursively), then the error's own fields.
      const serialized = pino.stdSerializers.errWithCause(value) as unknown as Record<
        string,
        unknown
      >;
      const fields: Array<[string, unknown]> = [];
      for (const k in serialized) {
        const v = serialized[k];
        if (v !== undefined) fields.push([k, v]);
      }
      return scrubEntries(fields, depth, ancestors);
    }
    return scrubEntries(Object.entries(value), depth, ancestors);
  } finally {
    ancestors.delete(value);
  }
}

function scrubEntries(
  entries: Array<[unknown, unknown]>,
  depth: number,
  ancestors: WeakSet<object>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    const key = String(k);
    out[key] =
      SENSITIVE_KEYS.has(normalizeKey(key)) && v !== null && v !== undefined
        ? REDACTED
        : scrub(v, depth + 1, ancestors);
  }
  return out;
}

/** One root logger per process; classes take `logger.child({ component })`. */
export function createLogger(name: string, opts: LoggerOptions = {}): Logger {
  const destination = opts.destination ?? process.stdout;
  const options: pino.LoggerOptions = {
    name,
    level: opts.level ?? 'info',
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      // Both run before pino's serializers: errors are serialised here, at any depth.
      log: (obj) => redactForLog(obj) as Record<string, unknown>,
      bindings: (bindings) => redactForLog(bindings) as Record<string, unknown>,
    },
    // `err` arrives serialised by formatters.log; pino's default err serializer would redo it.
    serializers: { err: (err: unknown) => (isError(err) ? redactForLog(err) : err) },
  };
  const logger =
    opts.format === 'pretty'
      ? pino(options, prettyStream(destination))
      : pino(options, destination as pino.DestinationStream);
  return redactChildBindings(logger);
}

/**
 * pino formats only the root's bindings (`formatters.bindings` is reset for
 * children), so `child({ ... })` is wrapped to redact its bindings too. Set
 * on the root; children inherit it, and `this` keeps each parent's bindings.
 */
function redactChildBindings(logger: Logger): Logger {
  // Called with the logger it was looked up on (below), never detached.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const pinoChild = (Object.getPrototypeOf(logger) as Logger).child;
  Object.defineProperty(logger, 'child', {
    value: function child(this: Logger, bindings: pino.Bindings, childOptions?: object) {
      return pinoChild.call(this, redactForLog(bindings) as pino.Bindings, childOptions);
    },
    writable: true,
    configurable: true,
  });
  return logger;
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
