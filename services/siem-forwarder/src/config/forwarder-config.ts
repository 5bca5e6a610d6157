import { z } from 'zod';
import { consumerServiceConfigShape, env, loadConfig } from '@llmops/config';
import { SIEM_RECORD_FORMATS, type SiemRecordFormat } from '@llmops/siem';

/** The formats of the SIEM topics (`SIEM_FORMATS`). */
export const SIEM_FORMATS = SIEM_RECORD_FORMATS;
export type SiemTopicFormat = SiemRecordFormat;

const formatList = z
  .string()
  .default('ocsf')
  .transform((s, ctx) => {
    if (s.trim().toLowerCase() === 'none') return [] as SiemTopicFormat[];
    const items = [...new Set(s.split(',').map((f) => f.trim().toLowerCase()))];
    const bad = items.filter((f) => !(SIEM_FORMATS as readonly string[]).includes(f));
    if (bad.length > 0 || items.length === 0) {
      ctx.addIssue({ code: 'custom', message: `unknown format ${bad.join(', ')}` });
      return z.NEVER;
    }
    return items as SiemTopicFormat[];
  })
  .describe('a comma-separated list of ocsf, cef, ecs (or none), default ocsf');

const syslogUrl = z
  .string()
  .optional()
  .transform((s, ctx) => {
    if (s === undefined) return undefined;
    const m = /^(tcp|tls|udp):\/\/(\[[0-9a-fA-F:.]+\]|[^\s/:[\]]+):(\d{1,5})\/?$/.exec(s);
    const port = Number(m?.[3]);
    if (!m || port < 1 || port > 65535) {
      ctx.addIssue({ code: 'custom', message: 'is not a tcp://, tls:// or udp://host:port URL' });
      return z.NEVER;
    }
    return {
      protocol: m[1] as 'tcp' | 'tls' | 'udp',
      host: m[2]!.replace(/^\[|\]$/g, ''),
      port,
    };
  })
  .describe('tcp://host:port, tls://host:port or udp://host:port; unset: no syslog sink');

const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .optional()
    .refine(
      (s) => {
        if (s === undefined) return true;
        try {
          return protocols.includes(new URL(s).protocol.replace(/:$/, ''));
        } catch {
          return false;
        }
      },
      `is not a ${protocols.join('/')} URL`,
    )
    .describe(`a ${protocols.join(' or ')} URL; unset: no HEC sink`);

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1')
    .describe(`true or false, default ${fallback}`);

const file = z.string().min(1).optional().describe('a path to a PEM file');

export const forwarderConfigSchema = z
  .object({
    ...consumerServiceConfigShape,
    SIEM_FORMATS: formatList,
    SIEM_KAFKA_GROUP_ID: env.name('llmops-siem-forwarder-kafka'),

    SIEM_SYSLOG_URL: syslogUrl,
    SIEM_SYSLOG_BODY: env.enumOf(SIEM_RECORD_FORMATS, 'cef'),
    SIEM_SYSLOG_HOSTNAME: z
      .string()
      .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1 to 255 printable ASCII characters')
      .optional()
      .describe('the HOSTNAME field, default the machine host name'),
    SIEM_SYSLOG_APP_NAME: z
      .string()
      .regex(/^[\x21-\x7e]{1,48}$/, 'must be 1 to 48 printable ASCII characters')
      .default('llmops')
      .describe('the APP-NAME field, 1 to 48 printable ASCII characters, default llmops'),
    SIEM_SYSLOG_FACILITY: env.int(0, 23, 10),
    SIEM_SYSLOG_ENTERPRISE_NUMBER: env.int(0, 2 ** 31 - 1, 32473),
    SIEM_SYSLOG_CA_FILE: file,
    SIEM_SYSLOG_CERT_FILE: file,
    SIEM_SYSLOG_KEY_FILE: file,
    SIEM_SYSLOG_TLS_SERVERNAME: z
      .string()
      .optional()
      .describe('the name the collector certificate must carry, default the URL host'),
    SIEM_SYSLOG_UDP_MAX_BYTES: env.int(480, 65_507, 2048),
    SIEM_SYSLOG_TIMEOUT_MS: env.int(100, 300_000, 10_000),
    SIEM_SYSLOG_GROUP_ID: env.name('llmops-siem-forwarder-syslog'),

    SIEM_HEC_URL: optionalUrl(['http', 'https']),
    SIEM_HEC_TOKEN: z.string().min(1).optional().describe('the HEC token (a secret)'),
    SIEM_HEC_ACK: bool(false),
    SIEM_HEC_BODY: env.enumOf(SIEM_RECORD_FORMATS, 'ocsf'),
    SIEM_HEC_INDEX: z.string().min(1).optional().describe('a Splunk index, default the token’s'),
    SIEM_HEC_SOURCETYPE: z
      .string()
      .min(1)
      .optional()
      .describe('a Splunk sourcetype, default llmops:<body format>'),
    SIEM_HEC_CA_FILE: file,
    SIEM_HEC_BATCH_MAX_EVENTS: env.int(1, 100_000, 500),
    SIEM_HEC_TIMEOUT_MS: env.int(100, 300_000, 10_000),
    SIEM_HEC_ACK_TIMEOUT_MS: env.int(100, 600_000, 30_000),
    SIEM_HEC_GROUP_ID: env.name('llmops-siem-forwarder-hec'),
  })
  .superRefine((c, ctx) => {
    if (c.SIEM_HEC_URL && !c.SIEM_HEC_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['SIEM_HEC_TOKEN'],
        message: 'is required when SIEM_HEC_URL is set',
      });
    }
    if (c.SIEM_SYSLOG_CA_FILE && c.SIEM_SYSLOG_URL?.protocol !== 'tls') {
      ctx.addIssue({
        code: 'custom',
        path: ['SIEM_SYSLOG_CA_FILE'],
        message: 'is only used with a tls:// SIEM_SYSLOG_URL',
      });
    }
    if (Boolean(c.SIEM_SYSLOG_CERT_FILE) !== Boolean(c.SIEM_SYSLOG_KEY_FILE)) {
      ctx.addIssue({
        code: 'custom',
        path: ['SIEM_SYSLOG_CERT_FILE'],
        message: 'SIEM_SYSLOG_CERT_FILE and SIEM_SYSLOG_KEY_FILE go together',
      });
    }
  });

export type ForwarderConfig = z.infer<typeof forwarderConfigSchema>;

export function loadForwarderConfig(
  vars: Record<string, string | undefined> = process.env,
): ForwarderConfig {
  return loadConfig(forwarderConfigSchema, vars);
}
