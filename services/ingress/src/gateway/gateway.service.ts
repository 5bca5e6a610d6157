import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { ConfigService } from '@llmops/config';
import {
  invocationCodec,
  invocationKey,
  invocationLimitErrors,
  topicNames,
} from '@llmops/contracts';
import { EventPublisher } from '@llmops/kafka';
import { Counter, Histogram, type Logger } from '@llmops/observability';
import type { IngressConfig } from '../config/ingress-config';
import { LOGGER, METRICS } from '../infra/tokens';
import { gatewayRecord, type GatewayCall } from './gateway-record';
import { Router } from './router';
import { UpstreamClients } from './upstream-client';

/** Routes, upstream connections and the one audit record of every call. */
@Injectable()
export class GatewayService implements OnApplicationShutdown {
  readonly router: Router;
  readonly clients = new UpstreamClients();
  readonly maxAttempts: number;
  readonly maxRetryWaitMs: number;
  private readonly topic: string;
  private readonly log: Logger;
  private readonly calls: Counter<'status' | 'upstream'>;
  private readonly unrecorded: Counter<'reason'>;
  private readonly overhead: Histogram<'stream'>;

  constructor(
    config: ConfigService<IngressConfig>,
    private readonly publisher: EventPublisher,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS) registry: Registry,
  ) {
    this.router = new Router(config.get('GATEWAY_ROUTES'));
    this.maxAttempts = config.get('GATEWAY_MAX_ATTEMPTS');
    this.maxRetryWaitMs = config.get('GATEWAY_MAX_RETRY_WAIT_MS');
    this.topic = topicNames(config.get('TOPIC_PREFIX')).invocations;
    this.log = logger.child({ component: 'gateway' });
    this.calls = new Counter({
      name: 'llmops_gateway_calls_total',
      help: 'Model calls through the gateway, by outcome and upstream',
      labelNames: ['status', 'upstream'],
      registers: [registry],
    });
    this.unrecorded = new Counter({
      name: 'llmops_gateway_records_unpublished_total',
      help: 'Gateway audit records Kafka did not take (each also logged with its event id)',
      labelNames: ['reason'],
      registers: [registry],
    });
    this.overhead = new Histogram({
      name: 'llmops_gateway_overhead_seconds',
      help: "Time the gateway spent on a call besides waiting for the upstream's first byte",
      labelNames: ['stream'],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05],
      registers: [registry],
    });
  }

  /** Whether the record of a call made now could be kept; if not the call is refused first. */
  canRecord(): boolean {
    return this.publisher.accepting(1);
  }

  observeOverhead(stream: boolean, seconds: number): void {
    this.overhead.observe({ stream: String(stream) }, seconds);
  }

  /**
   * Publishes the call's record after its answer went out: the client never waits for Kafka.
   * A record Kafka does not take is logged with its event id and counted, never silently lost.
   */
  record(call: GatewayCall): void {
    let record;
    try {
      record = gatewayRecord(call);
    } catch (err) {
      this.unrecorded.inc({ reason: 'invalid' });
      this.log.error({ eventId: call.eventId, err }, 'gateway record could not be built');
      return;
    }
    const problems = invocationLimitErrors(record, Date.now());
    if (problems.length > 0)
      this.log.warn(
        { eventId: call.eventId, problems },
        'gateway record breaks the invocation limits',
      );
    this.calls.inc({ status: record.status, upstream: call.target?.upstream.name ?? 'none' });
    this.publisher
      .publish(this.topic, [
        {
          key: invocationKey(record.tenant_id, record.trace_id),
          value: invocationCodec.encode(record),
          headers: { 'llmops-event-id': record.event_id, 'llmops-tenant': record.tenant_id },
        },
      ])
      .catch((err: unknown) => {
        this.unrecorded.inc({ reason: 'kafka' });
        this.log.error(
          { eventId: call.eventId, tenant: call.tenant, err },
          'gateway record not published: Kafka did not take it',
        );
      });
  }

  onApplicationShutdown() {
    return this.clients.close();
  }
}
