import type { SecurityEvent, SecuritySensitiveData } from '@llmops/contracts';
import { reason, title } from '../describe';
import {
  actor,
  analytic,
  baseAttributes,
  dstEndpoint,
  httpRequest,
  policy,
  resources,
  securityControl,
  srcEndpoint,
  unmapped,
  type OcsfRecord,
} from './common';
import { compact } from '../json';

const CREATE = { id: 1, name: 'Create' };
const NEW = { status_id: 1, status: 'New' };

function findingInfo(e: SecurityEvent): OcsfRecord {
  return compact({
    uid: e.event_id,
    title: title(e),
    types: [e.category],
    created_time: e.time_ms,
    data_sources: [e.reporter],
    analytic: analytic(e.rule),
    related_events: e.invocation_id
      ? [{ uid: e.invocation_id, title: 'LLM invocation' }]
      : undefined,
  });
}

/** OCSF Data Security Finding (2006): PII or secrets in content sent to a model endpoint. */
export function dataSecurityFinding(e: SecurityEvent, uid: string, truncated: boolean): OcsfRecord {
  const data = e.sensitive_data;
  return compact({
    ...baseAttributes(e, 'data_security_finding', CREATE, ['security_control'], uid, truncated),
    ...securityControl(e),
    ...NEW,
    ...confidence(data),
    finding_info: findingInfo(e),
    data_security: compact({
      data_lifecycle_state_id: 2,
      data_lifecycle_state: 'Data in-Transit',
      detection_system_id: 2,
      detection_system: 'DLP Gateway',
      detection_pattern: reason(e) ?? undefined,
      ...dataCategory(data),
      policy: policy(e.rule),
    }),
    actor: actor(e),
    src_endpoint: srcEndpoint(e),
    dst_endpoint: dstEndpoint(e),
    resources: resources(e),
    policy: policy(e.rule),
    unmapped: unmapped(e),
  });
}

/** OCSF Detection Finding (2004): guardrail, policy and tool-call violations. */
export function detectionFinding(e: SecurityEvent, uid: string, truncated: boolean): OcsfRecord {
  const evidence = compact({
    actor: actor(e),
    src_endpoint: srcEndpoint(e),
    dst_endpoint: dstEndpoint(e),
    http_request: httpRequest(e),
  });
  return compact({
    ...baseAttributes(e, 'detection_finding', CREATE, ['security_control'], uid, truncated),
    ...securityControl(e),
    ...NEW,
    finding_info: findingInfo(e),
    evidences: Object.keys(evidence).length > 0 ? [evidence] : undefined,
    resources: resources(e),
    policy: policy(e.rule),
    unmapped: unmapped(e),
  });
}

/** PII wins over secrets when both were found: the finding is then about personal data. */
function dataCategory(data: SecuritySensitiveData | null) {
  if (data?.classes.includes('pii')) return { category_id: 1, category: 'Personal' };
  if (data?.classes.includes('secret')) return { category_id: 6, category: 'Security' };
  return { category_id: 0, category: 'Unknown' };
}

function confidence(data: SecuritySensitiveData | null) {
  const c = data?.max_confidence;
  if (c === null || c === undefined) return {};
  const score = Math.round(Math.min(Math.max(c, 0), 1) * 100);
  const level =
    score >= 90
      ? { confidence_id: 3, confidence: 'High' }
      : score >= 60
        ? { confidence_id: 2, confidence: 'Medium' }
        : { confidence_id: 1, confidence: 'Low' };
  return { confidence_score: score, ...level };
}
