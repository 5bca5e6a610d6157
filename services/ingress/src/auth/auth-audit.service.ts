import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { ConfigService } from '@llmops/config';
import {
  securityEventCodec,
  topicNames,
  type SecurityAuthFailureReason,
  type SecurityEvent,
  type SecuritySeverity,
} from '@llmops/contracts';
import { EventPublisher } from '@llmops/kafka';
import { Counter, type Logger } from '@llmops/observability';
import type { IngressConfig } from '../config/ingress-config';
import { LOGGER, METRICS } from '../infra/tokens';

export interface AuthFailure {
  reason: SecurityAuthFailureReason;
  /** The public id of the presented key, when it had one; never the key. */
  keyId?: string;
  /** Known when the key exists (revoked, or lacking a scope). */
  tenant?: string;
  requiredScope?: string;
  ip: string;
  userAgent?: string;
  method: string;
  path: string;
}

/** A revoked key in use is a likely leaked credential; a bad secret for a real key id, a guess. */
const SEVERITY: Record<SecurityAuthFailureReason, SecuritySeverity> = {
  missing_credentials: 'low',
  malformed_credentials: 'low',
  unknown_key: 'medium',
  revoked_key: 'high',
  expired_key: 'medium',
  insufficient_scope: 'low',
  tenant_mismatch: 'medium',
  other: 'low',
};

/**
 * Reports authentication failures at the ingress to the SOC as security
 * events. Publishing never delays the 401/403: it is queued on the bounded
 * producer, and a failure is logged and counted (not silently dropped).
 */
@Injectable()
export class AuthAuditService {
  private readonly topic: string;
  private readonly dropped: Counter<'reason'>;

  constructor(
    private readonly publisher: EventPublisher,
    config: ConfigService<IngressConfig>,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) registry: Registry,
  ) {
    this.topic = topicNames(config.get('TOPIC_PREFIX')).securityEvents;
    this.dropped = new Counter({
      name: 'llmops_ingress_auth_events_unpublished_total',
      help: 'Authentication-failure security events Kafka did not accept',
      labelNames: ['reason'],
      registers: [registry],
    });
  }

  report(f: AuthFailure): void {
    let event: SecurityEvent;
    try {
      event = toSecurityEvent(f, Date.now());
    } catch (err) {
      // Never turn a 401 into a 500: log what could not be reported.
      this.dropped.inc({ reason: f.reason });
      this.logger.error({ reason: f.reason, err }, 'authentication-failure event invalid');
      return;
    }
    this.publisher
      .publish(this.topic, [
        {
          key: f.tenant ?? '',
          value: securityEventCodec.encode(event),
          headers: { 'llmops-event-id': event.event_id },
        },
      ])
      .catch((err: unknown) => {
        this.dropped.inc({ reason: f.reason });
        this.logger.error(
          {
            eventId: event.event_id,
            reason: f.reason,
            keyId: f.keyId,
            err,
          },
          'authentication-failure security event not published',
        );
      });
  }
}

export function toSecurityEvent(f: AuthFailure, now: number): SecurityEvent {
  // fromJson fills every field left out with its schema default (null, []).
  return securityEventCodec.fromJson({
    event_id: randomUUID(),
    time_ms: now,
    category: f.reason === 'revoked_key' ? 'revoked_key_use' : 'authentication_failure',
    severity: SEVERITY[f.reason],
    outcome: 'blocked',
    tenant_id: f.tenant ?? null,
    reporter: 'ingress',
    actor: {
      api_key_id: f.keyId ?? null,
      source_ip: f.ip,
      user_agent: f.userAgent?.slice(0, 512) ?? null,
    },
    target: { http_method: f.method, http_path: f.path.split('?')[0]!.slice(0, 256) },
    auth: { reason: f.reason, required_scope: f.requiredScope ?? null },
  });
}
