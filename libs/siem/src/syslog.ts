import type { SecurityEvent } from '@llmops/contracts';
import { SIEM_PRODUCT, SIEM_PRODUCT_VERSION, SYSLOG_DOCUMENTATION_PEN } from './constants';
import { SYSLOG_SEVERITY } from './describe';
import { SiemFormatError } from './errors';
import { SIEM_FORMATTERS, type SiemRecordFormat } from './formats';
import { prepareEvent } from './prepare';

/** One SD-ELEMENT: `[id name="value" ...]`. */
export interface SyslogStructuredElement {
  /** SD-ID: `name@<PEN>` for private elements, or an IANA-registered name such as `origin`. */
  id: string;
  params: ReadonlyArray<readonly [name: string, value: string]>;
}

/** The parts of an RFC 5424 message. */
export interface Rfc5424Message {
  /** 0–23. */
  facility: number;
  /** 0 (emergency) – 7 (debug). */
  severity: number;
  /** TIMESTAMP, epoch milliseconds; written as RFC 3339 UTC with milliseconds. */
  timeMs: number;
  /** @default '-' */
  hostname?: string;
  /** @default '-' */
  appName?: string;
  /** @default '-' */
  procId?: string;
  /** @default '-' */
  msgId?: string;
  /** @default [] (written as `-`) */
  structuredData?: readonly SyslogStructuredElement[];
  /** MSG; omitted when empty. */
  msg?: string;
  /**
   * `auto` starts a MSG that holds non-ASCII text with the UTF-8 BOM, as RFC 5424
   * requires of MSG-UTF8; `never` leaves it out for receivers that mishandle it.
   * @default 'auto'
   */
  bom?: 'auto' | 'never';
}

/** RFC 5424 header field limits (section 6). */
const LIMITS = { hostname: 255, appName: 48, procId: 128, msgId: 32, sdName: 32 } as const;

/**
 * Escapes an SD-PARAM value: `"`, `\` and `]` get a backslash (RFC 5424
 * section 6.3.3), so a value can neither close the element nor start a new
 * parameter. Control characters become spaces so that the message also
 * survives transports that frame by line feed (RFC 6587 non-transparent framing).
 */
export function escapeSdParamValue(value: string): string {
  return value.replace(/["\\\]]|[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) =>
    c === '"' || c === '\\' || c === ']' ? `\\${c}` : ' ',
  );
}

/**
 * A header field as RFC 5424 allows it: PRINTUSASCII (33–126) only, cut to
 * the field's length limit, `-` (NILVALUE) when empty. Other characters become `_`.
 */
export function headerField(value: string | undefined, maxLength: number): string {
  if (!value) return '-';
  const printable = value.replace(/[^\x21-\x7e]/g, '_').slice(0, maxLength);
  return printable.length > 0 ? printable : '-';
}

const SD_NAME = /^[\x21-\x7e]+$/;

function checkSdName(kind: string, name: string): void {
  if (name.length > LIMITS.sdName || !SD_NAME.test(name) || /[= \]"]/.test(name)) {
    throw new SiemFormatError(
      `syslog ${kind} ${JSON.stringify(name)} is not a valid SD-NAME (RFC 5424 section 6.3)`,
    );
  }
}

/** Renders an RFC 5424 syslog message (without transport framing). */
export function formatRfc5424(m: Rfc5424Message): string {
  if (!Number.isInteger(m.facility) || m.facility < 0 || m.facility > 23) {
    throw new SiemFormatError(`syslog facility must be an integer from 0 to 23, got ${m.facility}`);
  }
  if (!Number.isInteger(m.severity) || m.severity < 0 || m.severity > 7) {
    throw new SiemFormatError(`syslog severity must be an integer from 0 to 7, got ${m.severity}`);
  }
  const date = new Date(m.timeMs);
  const year = date.getUTCFullYear();
  if (Number.isNaN(date.getTime()) || year < 0 || year > 9999) {
    throw new SiemFormatError(`syslog timestamp ${m.timeMs} is outside years 0000–9999`);
  }
  const header = [
    `<${m.facility * 8 + m.severity}>1`,
    date.toISOString(),
    headerField(m.hostname, LIMITS.hostname),
    headerField(m.appName, LIMITS.appName),
    headerField(m.procId, LIMITS.procId),
    headerField(m.msgId, LIMITS.msgId),
  ].join(' ');
  const sd = m.structuredData ?? [];
  const structured =
    sd.length === 0
      ? '-'
      : sd
          .map((el) => {
            checkSdName('SD-ID', el.id);
            const params = el.params.map(([name, value]) => {
              checkSdName('PARAM-NAME', name);
              return ` ${name}="${escapeSdParamValue(value)}"`;
            });
            return `[${el.id}${params.join('')}]`;
          })
          .join('');
  if (!m.msg) return `${header} ${structured}`;
  const bom = (m.bom ?? 'auto') === 'auto' && /[^\x00-\x7f]/.test(m.msg) ? '\uFEFF' : '';
  return `${header} ${structured} ${bom}${m.msg}`;
}

/** Options of `toSyslog`. */
export interface SyslogOptions {
  /** HOSTNAME of the sender. @default '-' */
  hostname?: string;
  /** APP-NAME. @default 'llmops' */
  appName?: string;
  /** PROCID. @default '-' */
  procId?: string;
  /** Facility. @default 10 (security/authorization, private) */
  facility?: number;
  /** Private Enterprise Number of the SD-ID `llmops@<PEN>`. @default 32473 (RFC 5612 documentation PEN) */
  enterpriseNumber?: number;
  /** What MSG holds. @default 'cef' */
  body?: SiemRecordFormat;
  /** @default 'auto' */
  bom?: 'auto' | 'never';
}

/**
 * The RFC 5424 message of a security event: PRI from the facility and the
 * event's severity, TIMESTAMP the event time, MSGID the category, an
 * `llmops@<PEN>` element with the ids a SOC filters on, an `origin` element,
 * and the CEF (default), OCSF or ECS record as MSG.
 */
export function toSyslog(event: SecurityEvent, opts: SyslogOptions = {}): string {
  const { event: e, truncated } = prepareEvent(event);
  const pen = opts.enterpriseNumber ?? SYSLOG_DOCUMENTATION_PEN;
  if (!Number.isInteger(pen) || pen < 0) {
    throw new SiemFormatError(`syslog enterpriseNumber must be a non-negative integer, got ${pen}`);
  }
  const params: Array<[string, string]> = [
    ['eventId', e.event_id],
    ['category', e.category],
    ['severity', e.severity],
    ['outcome', e.outcome],
  ];
  const optional: Array<[string, string | null]> = [
    ['tenantId', e.tenant_id],
    ['traceId', e.trace_id],
    ['invocationId', e.invocation_id],
    ['truncated', truncated ? 'true' : null],
  ];
  for (const [name, value] of optional) if (value !== null) params.push([name, value]);
  const body = opts.body ?? 'cef';
  const msg = SIEM_FORMATTERS[body](event);
  return formatRfc5424({
    facility: opts.facility ?? 10,
    severity: SYSLOG_SEVERITY[e.severity],
    timeMs: e.time_ms,
    hostname: opts.hostname,
    appName: opts.appName ?? SIEM_PRODUCT,
    procId: opts.procId,
    msgId: e.category,
    structuredData: [
      { id: `llmops@${pen}`, params },
      {
        id: 'origin',
        params: [
          ['software', SIEM_PRODUCT],
          ['swVersion', SIEM_PRODUCT_VERSION],
        ],
      },
    ],
    msg,
    bom: opts.bom,
  });
}

/** RFC 6587 octet-counting framing: `<byte length> <message>`, for syslog over TCP or TLS. */
export function frameOctetCounting(message: string | Buffer): Buffer {
  const bytes = typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
  return Buffer.concat([Buffer.from(`${bytes.length} `, 'ascii'), bytes]);
}
