import type { SecurityEvent } from '@llmops/contracts';
import { title } from '../describe';
import {
  actor,
  baseAttributes,
  dstEndpoint,
  httpRequest,
  resources,
  securityControl,
  srcEndpoint,
  unmapped,
  type Activity,
  type OcsfRecord,
} from './common';
import { compact } from '../json';

const ACTIVITY_BY_METHOD: Record<string, Activity> = {
  POST: { id: 1, name: 'Create' },
  GET: { id: 2, name: 'Read' },
  HEAD: { id: 2, name: 'Read' },
  PUT: { id: 3, name: 'Update' },
  PATCH: { id: 3, name: 'Update' },
  DELETE: { id: 4, name: 'Delete' },
};

/** An LLM call creates a completion or embedding: Create, unless the HTTP method says otherwise. */
function activity(e: SecurityEvent): Activity {
  const byMethod = e.target.http_method
    ? ACTIVITY_BY_METHOD[e.target.http_method.toUpperCase()]
    : undefined;
  if (byMethod) return byMethod;
  return e.target.operation || e.target.model
    ? { id: 1, name: 'Create' }
    : { id: 0, name: 'Unknown' };
}

function status(e: SecurityEvent) {
  if (e.outcome === 'blocked') return { status_id: 2, status: 'Failure' };
  if (e.outcome === 'allowed' || e.outcome === 'redacted')
    return { status_id: 1, status: 'Success' };
  return { status_id: 0, status: 'Unknown' };
}

/**
 * OCSF API Activity (6003): the audit record of the call itself, with the
 * model (`ai_model`, ai_operation profile) and the trace (trace profile).
 */
export function apiActivity(e: SecurityEvent, uid: string, truncated: boolean): OcsfRecord {
  const t = e.target;
  const aiModel = t.model && t.provider ? { name: t.model, ai_provider: t.provider } : undefined;
  const trace = e.trace_id ? { uid: e.trace_id } : undefined;
  const profiles = [
    'security_control',
    ...(aiModel ? ['ai_operation'] : []),
    ...(trace ? ['trace'] : []),
  ];
  return compact({
    ...baseAttributes(e, 'api_activity', activity(e), profiles, uid, truncated),
    ...securityControl(e),
    ...status(e),
    status_detail: e.category,
    // actor and src_endpoint are required by the class: fall back to what is known.
    actor: actor(e) ?? { app_name: 'unknown' },
    api: compact({
      operation: t.operation ?? t.http_path ?? e.category,
      service: t.provider ? { name: t.provider } : undefined,
      request: e.invocation_id ? { uid: e.invocation_id } : undefined,
      response: e.outcome === 'blocked' ? { error: e.category, message: title(e) } : undefined,
    }),
    src_endpoint: srcEndpoint(e) ?? { name: e.actor.app_id ?? 'unknown' },
    dst_endpoint: dstEndpoint(e),
    http_request: httpRequest(e),
    resources: resources(e),
    ai_model: aiModel,
    trace,
    unmapped: unmapped(e),
  });
}
