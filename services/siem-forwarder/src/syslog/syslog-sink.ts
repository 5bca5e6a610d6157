import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import type { SecurityEvent } from '@llmops/contracts';
import type { ConsumedRecord } from '@llmops/kafka';
import type { Logger } from '@llmops/observability';
import { SIEM_FORMATTERS, toSyslog, type SiemRecordFormat, type SyslogOptions } from '@llmops/siem';
import type { ForwarderConfig } from '../config/forwarder-config';
import { SinkRejectedError } from '../errors/sink-errors';
import type { Sink } from '../forwarder/sink';
import { StreamTransport, UdpTransport, type SyslogTransport } from './transports';

/**
 * Cuts an RFC 5424 message to `maxBytes` for UDP. Only MSG is cut, at a
 * UTF-8 character boundary and never inside a CEF/JSON backslash escape;
 * HEADER and STRUCTURED-DATA (which carry the event id, category, severity
 * and tenant) always arrive whole. Returns undefined when HEADER and
 * STRUCTURED-DATA alone do not fit.
 */
export function truncateForDatagram(
  message: string,
  body: string,
  maxBytes: number,
): { bytes: Buffer; truncated: boolean } | undefined {
  const bytes = Buffer.from(message, 'utf8');
  if (bytes.length <= maxBytes) return { bytes, truncated: false };
  const bodyBytes = Buffer.byteLength(body, 'utf8');
  // MSG may start with a BOM (3 bytes) that formatRfc5424 adds before non-ASCII text.
  const headLength = bytes.length - bodyBytes;
  if (headLength + 1 > maxBytes) return undefined;
  let end = maxBytes;
  while (end > headLength && (bytes[end]! & 0xc0) === 0x80) end--; // not inside a UTF-8 sequence
  let backslashes = 0;
  while (end - 1 - backslashes >= headLength && bytes[end - 1 - backslashes] === 0x5c)
    backslashes++;
  if (backslashes % 2 === 1) end--; // not between a backslash and what it escapes
  return { bytes: bytes.subarray(0, end), truncated: true };
}

/** Security events as RFC 5424 messages to one syslog collector (TCP, TLS or UDP). */
export class SyslogSink implements Sink<Buffer> {
  readonly name = 'syslog' as const;
  private readonly transport: SyslogTransport;
  private readonly options: SyslogOptions;
  private readonly body: SiemRecordFormat;
  private readonly udpMaxBytes: number | undefined;
  private readonly log: Logger;

  constructor(
    readonly groupId: string,
    config: ForwarderConfig,
    logger: Logger,
    transport?: SyslogTransport,
  ) {
    const url = config.SIEM_SYSLOG_URL;
    if (!url) throw new Error('SyslogSink needs SIEM_SYSLOG_URL');
    this.log = logger.child({ component: 'syslog-sink', protocol: url.protocol });
    this.body = config.SIEM_SYSLOG_BODY;
    this.options = {
      hostname: config.SIEM_SYSLOG_HOSTNAME ?? os.hostname(),
      appName: config.SIEM_SYSLOG_APP_NAME,
      facility: config.SIEM_SYSLOG_FACILITY,
      enterpriseNumber: config.SIEM_SYSLOG_ENTERPRISE_NUMBER,
      body: this.body,
    };
    this.udpMaxBytes = url.protocol === 'udp' ? config.SIEM_SYSLOG_UDP_MAX_BYTES : undefined;
    this.transport = transport ?? createTransport(config);
  }

  prepare(event: SecurityEvent): Buffer {
    const message = toSyslog(event, this.options);
    if (this.udpMaxBytes === undefined) return Buffer.from(message, 'utf8');
    const cut = truncateForDatagram(message, SIEM_FORMATTERS[this.body](event), this.udpMaxBytes);
    if (!cut) {
      throw new SinkRejectedError(
        'syslog',
        `header and structured data of event ${event.event_id} exceed the UDP limit of ${this.udpMaxBytes} bytes`,
      );
    }
    if (cut.truncated) {
      this.log.warn(
        { eventId: event.event_id, maxBytes: this.udpMaxBytes },
        'syslog message cut to the UDP size limit',
      );
    }
    return cut.bytes;
  }

  deliver(records: ConsumedRecord<Buffer>[]): Promise<void> {
    return this.transport.send(records.map((r) => r.value));
  }

  stop(): Promise<void> {
    return this.transport.close();
  }
}

function createTransport(config: ForwarderConfig): SyslogTransport {
  const url = config.SIEM_SYSLOG_URL!;
  const timeoutMs = config.SIEM_SYSLOG_TIMEOUT_MS;
  if (url.protocol === 'udp')
    return new UdpTransport({ host: url.host, port: url.port, timeoutMs });
  const read = (f: string | undefined) => (f ? fs.readFileSync(f) : undefined);
  return new StreamTransport({
    host: url.host,
    port: url.port,
    timeoutMs,
    tls:
      url.protocol === 'tls'
        ? {
            ca: read(config.SIEM_SYSLOG_CA_FILE),
            cert: read(config.SIEM_SYSLOG_CERT_FILE),
            key: read(config.SIEM_SYSLOG_KEY_FILE),
            // RFC 6066 forbids an IP address as SNI; then Node checks the IP against the certificate.
            servername:
              config.SIEM_SYSLOG_TLS_SERVERNAME ?? (net.isIP(url.host) ? undefined : url.host),
            minVersion: 'TLSv1.2',
          }
        : undefined,
  });
}
