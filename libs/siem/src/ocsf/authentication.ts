import type { SecurityEvent } from '@llmops/contracts';
import { reason } from '../describe';
import {
  actor,
  baseAttributes,
  dstEndpoint,
  httpRequest,
  securityControl,
  srcEndpoint,
  unmapped,
  type OcsfRecord,
} from './common';
import { compact } from '../json';

const LOGON = { id: 1, name: 'Logon' };

/**
 * OCSF Authentication (3002): a failed authentication at the ingress. The
 * subject (`user`) is the API key presented; the end user and app, when
 * known, are the `actor`.
 */
export function authentication(e: SecurityEvent, uid: string, truncated: boolean): OcsfRecord {
  const key = e.actor.api_key_id;
  const insufficientScope = e.auth?.reason === 'insufficient_scope';
  const { session: _key, ...presenter } = actor(e) ?? {};
  return compact({
    ...baseAttributes(e, 'authentication', LOGON, ['security_control'], uid, truncated),
    ...securityControl(e, insufficientScope ? { id: 26, name: 'Unauthorized' } : undefined),
    status_id: 2,
    status: 'Failure',
    status_detail: reason(e),
    auth_protocol_id: 99,
    auth_protocol: 'API Key',
    user: key
      ? { uid: key, type_id: 99, type: 'API Key' }
      : { name: 'unknown', type_id: 0, type: 'Unknown' },
    // The key is the subject already; the actor names who presented it.
    actor: Object.keys(presenter).length > 0 ? presenter : undefined,
    service: { name: e.reporter },
    src_endpoint: srcEndpoint(e),
    dst_endpoint: dstEndpoint(e),
    http_request: httpRequest(e),
    unmapped: unmapped(e),
  });
}
