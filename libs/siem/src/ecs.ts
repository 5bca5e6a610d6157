import { isIP } from 'node:net';
import type { SecurityEvent } from '@llmops/contracts';
import { ECS_VERSION, SIEM_PRODUCT, SIEM_PRODUCT_VERSION, SIEM_VENDOR } from './constants';
import { OCSF_SEVERITY, outcomeWord, reason, summary } from './describe';
import { compact, deepCompact } from './json';
import { prepareEvent } from './prepare';

/** An ECS document as plain JSON. */
export type EcsDocument = Record<string, unknown>;

/**
 * `event.kind`, `event.category` and `event.type`: detections are alerts in
 * intrusion_detection, authentication failures are authentication events,
 * budget breaches are api events. `event.type` comes from the outcome;
 * a redaction counts as denied (the sensitive content did not leave).
 */
function categorization(e: SecurityEvent) {
  const denied = e.outcome === 'blocked' || e.outcome === 'redacted';
  const type = e.outcome === 'unknown' ? 'info' : denied ? 'denied' : 'allowed';
  switch (e.category) {
    case 'authentication_failure':
    case 'revoked_key_use':
      return { kind: 'event', category: ['authentication'], type: ['start'] };
    case 'budget_limit_breach':
      return { kind: 'alert', category: ['api'], type: [type] };
    default:
      return { kind: 'alert', category: ['intrusion_detection'], type: [type] };
  }
}

/**
 * The ECS document of a security event: the standard fields where ECS has
 * them, and the whole platform event under `llmops`.
 */
export function toEcs(event: SecurityEvent): EcsDocument {
  const { event: e, truncated } = prepareEvent(event);
  const a = e.actor;
  const t = e.target;
  const ip = a.source_ip && isIP(a.source_ip) !== 0 ? a.source_ip : null;
  const url = t.http_path ? { path: t.http_path } : null;
  return compact({
    '@timestamp': new Date(e.time_ms).toISOString(),
    ecs: { version: ECS_VERSION },
    message: summary(e),
    event: compact({
      ...categorization(e),
      outcome: outcomeWord(e),
      id: e.event_id,
      severity: OCSF_SEVERITY[e.severity].id,
      action: e.category,
      reason: reason(e),
      provider: e.reporter,
      dataset: 'llmops.security',
      module: 'llmops',
    }),
    observer: { vendor: SIEM_VENDOR, product: SIEM_PRODUCT, version: SIEM_PRODUCT_VERSION },
    organization: e.tenant_id ? { id: e.tenant_id } : null,
    user: a.user_id ? { id: a.user_id } : null,
    source: ip ? { ip } : null,
    user_agent: a.user_agent ? { original: a.user_agent } : null,
    http: t.http_method ? { request: { method: t.http_method } } : null,
    url,
    destination: t.endpoint_host ? { domain: t.endpoint_host } : null,
    rule: e.rule
      ? compact({
          id: e.rule.id,
          name: e.rule.name,
          category: e.rule.type,
          ruleset: e.rule.policy,
          version: e.rule.version,
        })
      : null,
    trace: e.trace_id ? { id: e.trace_id } : null,
    span: e.span_id ? { id: e.span_id } : null,
    llmops: { ...deepCompact(e), ...(truncated ? { truncated: true } : {}) },
  });
}

/** `toEcs` as one line of JSON. */
export function formatEcs(event: SecurityEvent): string {
  return JSON.stringify(toEcs(event));
}
