import { isIP } from 'node:net';
import type { SecurityEvent } from '@llmops/contracts';
import { SIEM_PRODUCT, SIEM_PRODUCT_VERSION, SIEM_VENDOR } from './constants';
import { CEF_SEVERITY, outcomeWord, reason, summary, title } from './describe';
import { prepareEvent } from './prepare';

/**
 * Escapes a CEF header field: `\` → `\\` and `|` → `\|`. The header has no
 * escape for line breaks, so control characters (CR and LF included) become
 * spaces: a header field can never end the record or start a new one.
 */
export function escapeCefHeader(value: string): string {
  return value.replace(/[\\|]|[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) =>
    c === '\\' || c === '|' ? `\\${c}` : ' ',
  );
}

/**
 * Escapes a CEF extension value: `\` → `\\`, `=` → `\=`, a line break
 * (CRLF or LF) → `\n`, a lone CR → `\r`; other control characters become
 * spaces. An escaped `=` cannot start a key, so a value can never add or
 * replace a field (`x suser=admin` stays inside its own value).
 */
export function escapeCefExtension(value: string): string {
  return value.replace(/\r\n|[\\=\r\n]|[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    switch (c) {
      case '\\':
        return '\\\\';
      case '=':
        return '\\=';
      case '\r\n':
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      default:
        return ' ';
    }
  });
}

type Field = [key: string, value: string | number | null | undefined];

/**
 * The CEF (version 0) record of a security event:
 * `CEF:0|llmops|llmops|<version>|<category>|<title>|<severity>|<extension>`.
 * The extension keys are listed in the README.
 */
export function toCef(event: SecurityEvent): string {
  const { event: e, truncated } = prepareEvent(event);
  const header = [
    'CEF:0',
    SIEM_VENDOR,
    SIEM_PRODUCT,
    SIEM_PRODUCT_VERSION,
    e.category,
    title(e),
    CEF_SEVERITY[e.severity],
  ].map((v, i) => (i === 0 ? v : escapeCefHeader(v)));
  const a = e.actor;
  const t = e.target;
  const fields: Field[] = [
    ['rt', e.time_ms],
    ['externalId', e.event_id],
    ['cat', e.category],
    ['act', e.outcome],
    ['outcome', outcomeWord(e)],
    ['msg', summary(e)],
    ['reason', reason(e)],
    ['suser', a.user_id],
    ['src', a.source_ip && isIP(a.source_ip) !== 0 ? a.source_ip : null],
    ['requestClientApplication', a.user_agent],
    ['requestMethod', t.http_method],
    ['request', t.http_path],
    ['dhost', t.endpoint_host],
    ['destinationServiceName', t.provider],
    ['sproc', a.app_id],
    ['deviceProcessName', e.reporter],
    ...labelled('cs1', 'tenantId', e.tenant_id),
    ...labelled('cs2', 'traceId', e.trace_id),
    ...labelled('cs3', 'invocationId', e.invocation_id),
    ...labelled('cs4', 'agentId', a.agent_id),
    ...labelled('cs5', 'apiKeyId', a.api_key_id),
    ...labelled('cs6', 'ruleId', e.rule?.id ?? e.budget?.budget_id),
    ...labelled('flexString1', 'model', t.model),
    ...labelled('flexString2', 'tool', t.tool_name),
    ...labelled('cn1', 'findingCount', e.sensitive_data?.finding_count),
    ...labelled('cfp1', 'budgetLimit', e.budget?.limit),
    ...labelled('cfp2', 'budgetObserved', e.budget?.observed),
    ...labelled('cn2', 'truncated', truncated ? 1 : null),
  ];
  const extension = fields
    .filter((f): f is [string, string | number] => f[1] !== null && f[1] !== undefined)
    .map(([k, v]) => `${k}=${escapeCefExtension(String(v))}`)
    .join(' ');
  return `${header.join('|')}|${extension}`;
}

/** A custom field and its label, both present or both absent. */
function labelled(key: string, label: string, value: string | number | null | undefined): Field[] {
  return value === null || value === undefined
    ? []
    : [
        [key, value],
        [`${key}Label`, label],
      ];
}
