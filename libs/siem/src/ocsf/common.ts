import { isIP } from 'node:net';
import type { SecurityEvent, SecurityRule } from '@llmops/contracts';
import { OCSF_SCHEMA_VERSION, SIEM_PRODUCT, SIEM_PRODUCT_VERSION, SIEM_VENDOR } from '../constants';
import { OCSF_SEVERITY, summary } from '../describe';
import { compact, deepCompact } from '../json';

/** An OCSF record as plain JSON. */
export type OcsfRecord = Record<string, unknown>;

/** The OCSF 1.8 classes this library writes. */
export const OCSF_CLASSES = {
  data_security_finding: {
    uid: 2006,
    name: 'Data Security Finding',
    categoryUid: 2,
    categoryName: 'Findings',
  },
  detection_finding: {
    uid: 2004,
    name: 'Detection Finding',
    categoryUid: 2,
    categoryName: 'Findings',
  },
  authentication: {
    uid: 3002,
    name: 'Authentication',
    categoryUid: 3,
    categoryName: 'Identity & Access Management',
  },
  api_activity: {
    uid: 6003,
    name: 'API Activity',
    categoryUid: 6,
    categoryName: 'Application Activity',
  },
} as const;

export type OcsfClassName = keyof typeof OCSF_CLASSES;

export interface Activity {
  id: number;
  name: string;
}

/** Classification, occurrence and metadata attributes every class shares. */
export function baseAttributes(
  e: SecurityEvent,
  cls: OcsfClassName,
  activity: Activity,
  profiles: string[],
  uid: string,
  truncated: boolean,
): OcsfRecord {
  const c = OCSF_CLASSES[cls];
  const severity = OCSF_SEVERITY[e.severity];
  return {
    activity_id: activity.id,
    activity_name: activity.name,
    category_uid: c.categoryUid,
    category_name: c.categoryName,
    class_uid: c.uid,
    class_name: c.name,
    type_uid: c.uid * 100 + activity.id,
    type_name: `${c.name}: ${activity.name}`,
    severity_id: severity.id,
    severity: severity.caption,
    time: e.time_ms,
    timezone_offset: 0,
    message: summary(e),
    metadata: compact({
      version: OCSF_SCHEMA_VERSION,
      product: {
        name: SIEM_PRODUCT,
        vendor_name: SIEM_VENDOR,
        version: SIEM_PRODUCT_VERSION,
        feature: { name: e.reporter },
      },
      uid,
      correlation_uid: e.trace_id,
      tenant_uid: e.tenant_id,
      event_code: e.category,
      profiles,
      is_truncated: truncated ? true : undefined,
    }),
  };
}

/** `action_id`/`disposition_id` of the security_control profile, from the platform's outcome. */
export function securityControl(e: SecurityEvent, blockedDisposition = { id: 2, name: 'Blocked' }) {
  switch (e.outcome) {
    case 'allowed':
      return {
        action_id: 1,
        action: 'Allowed',
        disposition_id: 1,
        disposition: 'Allowed',
        is_alert: true,
      };
    case 'blocked':
      return {
        action_id: 2,
        action: 'Denied',
        disposition_id: blockedDisposition.id,
        disposition: blockedDisposition.name,
        is_alert: true,
      };
    case 'redacted':
      // No OCSF disposition means "content replaced": Other, with the platform's word.
      return {
        action_id: 4,
        action: 'Modified',
        disposition_id: 99,
        disposition: 'Redacted',
        is_alert: true,
      };
    default:
      return {
        action_id: 0,
        action: 'Unknown',
        disposition_id: 0,
        disposition: 'Unknown',
        is_alert: true,
      };
  }
}

/** The actor object, or undefined when nothing identifies one (its at_least_one constraint). */
export function actor(e: SecurityEvent): OcsfRecord | undefined {
  const a = e.actor;
  const out = compact({
    user: a.user_id ? { uid: a.user_id } : undefined,
    app_uid: a.app_id,
    session: a.api_key_id ? { credential_uid: a.api_key_id } : undefined,
  });
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The client, when its address is a valid IP (`ip_t`); anything else stays in `unmapped`. */
export function srcEndpoint(e: SecurityEvent): OcsfRecord | undefined {
  const ip = e.actor.source_ip;
  return ip && isIP(ip) !== 0 ? { ip } : undefined;
}

export function dstEndpoint(e: SecurityEvent): OcsfRecord | undefined {
  const t = e.target;
  if (!t.endpoint_host) return undefined;
  const scope =
    t.endpoint_kind === 'external'
      ? { network_scope_id: 2, network_scope: 'External' }
      : t.endpoint_kind === 'internal'
        ? { network_scope_id: 1, network_scope: 'Internal' }
        : {};
  return { hostname: t.endpoint_host, ...scope };
}

const HTTP_METHODS = new Set([
  'CONNECT',
  'DELETE',
  'GET',
  'HEAD',
  'OPTIONS',
  'PATCH',
  'POST',
  'PUT',
  'TRACE',
]);

/** The ingress request; a method outside OCSF's enum is left out rather than written wrong. */
export function httpRequest(e: SecurityEvent): OcsfRecord | undefined {
  const t = e.target;
  const method = t.http_method?.toUpperCase();
  const out = compact({
    http_method: method && HTTP_METHODS.has(method) ? method : undefined,
    url: t.http_path ? { path: t.http_path } : undefined,
    user_agent: e.actor.user_agent,
  });
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The model and the tool, as target resources. */
export function resources(e: SecurityEvent): OcsfRecord[] {
  const out: OcsfRecord[] = [];
  const t = e.target;
  if (t.model) {
    // resource_details.provider belongs to the cloud profile; the provider is in `unmapped` (and `ai_model`).
    out.push({ type: 'AI Model', name: t.model, role_id: 1, role: 'Target' });
  }
  if (t.tool_name) out.push({ type: 'Tool', name: t.tool_name, role_id: 1, role: 'Target' });
  return out;
}

export function analytic(rule: SecurityRule | null): OcsfRecord | undefined {
  if (!rule) return undefined;
  return compact({
    uid: rule.id,
    name: rule.name,
    category: rule.type,
    version: rule.version,
    type_id: 1,
    type: 'Rule',
  });
}

export function policy(rule: SecurityRule | null): OcsfRecord | undefined {
  return rule?.policy ? { name: rule.policy } : undefined;
}

/**
 * The platform's fields OCSF has no attribute for, under `unmapped.llmops`:
 * the whole event except what `time`, `severity_id` and `metadata` carry.
 */
export function unmapped(e: SecurityEvent): OcsfRecord {
  const {
    event_id: _id,
    time_ms: _t,
    severity: _s,
    tenant_id: _tenant,
    trace_id: _trace,
    reporter: _r,
    ...rest
  } = e;
  return { llmops: deepCompact(rest) };
}
