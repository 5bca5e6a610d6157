import type { SecurityEvent, SecurityEventCategory } from '@llmops/contracts';
import { prepareEvent } from '../prepare';
import { apiActivity } from './api-activity';
import { authentication } from './authentication';
import { OCSF_CLASSES, type OcsfClassName, type OcsfRecord } from './common';
import { dataSecurityFinding, detectionFinding } from './findings';

/** The OCSF class each category is written as by `toOcsf`. */
export const OCSF_CLASS_BY_CATEGORY: Record<SecurityEventCategory, OcsfClassName> = {
  sensitive_data_exposure: 'data_security_finding',
  guardrail_violation: 'detection_finding',
  policy_violation: 'detection_finding',
  forbidden_tool_call: 'detection_finding',
  authentication_failure: 'authentication',
  revoked_key_use: 'authentication',
  budget_limit_breach: 'api_activity',
  other: 'detection_finding',
};

const BUILDERS: Record<
  OcsfClassName,
  (e: SecurityEvent, uid: string, truncated: boolean) => OcsfRecord
> = {
  data_security_finding: dataSecurityFinding,
  detection_finding: detectionFinding,
  authentication,
  api_activity: apiActivity,
};

/**
 * The OCSF 1.8 record of a security event, in the class of its category
 * (`OCSF_CLASS_BY_CATEGORY`). `metadata.uid` is the event id.
 */
export function toOcsf(event: SecurityEvent): OcsfRecord {
  return build(event, OCSF_CLASS_BY_CATEGORY[event.category]);
}

/**
 * The OCSF 1.8 API Activity (6003) record of the call an event is about: an
 * audit record of the call itself, for any category. Where API Activity is
 * not the category's own class its `metadata.uid` is `<event_id>:api`, so it
 * never collides with the finding of the same event in a SIEM that dedupes
 * on `metadata.uid`.
 */
export function toOcsfApiActivity(event: SecurityEvent): OcsfRecord {
  return build(event, 'api_activity');
}

/** `toOcsf` as one line of JSON. */
export function formatOcsf(event: SecurityEvent): string {
  return JSON.stringify(toOcsf(event));
}

function build(event: SecurityEvent, cls: OcsfClassName): OcsfRecord {
  const { event: e, truncated } = prepareEvent(event);
  const uid = cls === OCSF_CLASS_BY_CATEGORY[e.category] ? e.event_id : `${e.event_id}:api`;
  return BUILDERS[cls](e, uid, truncated);
}

export { OCSF_CLASSES };
export type { OcsfClassName, OcsfRecord };
