import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Registry } from 'prom-client';
import { ConfigService } from '@llmops/config';
import {
  invocationCodec,
  invocationKey,
  invocationLimitErrors,
  topicNames,
} from '@llmops/contracts';
import { EventPublisher } from '@llmops/kafka';
import { Counter, Gauge, Histogram, type Logger } from '@llmops/observability';
import type { IngressConfig } from '../config/ingress-config';
import type { Redis } from 'ioredis';
import { LOGGER, METRICS, REDIS } from '../infra/tokens';
import { gatewayRecord, type GatewayCall } from './gateway-record';
import { PiiGuard, type PiiAction } from './pii-guard';
import { RateLimiter, type RateLimits } from './rate-limiter';
import { RecordOutbox } from './record-outbox';
import { Router } from './router';
import { UpstreamClients } from './upstream-client';

/** Routes, upstream connections and the one audit record of every call. */
@Injectable()
export class GatewayService implements BeforeApplicationShutdown, OnApplicationShutdown {
  readonly router: Router;
  readonly pii = new PiiGuard();
  private readonly piiPolicies: IngressConfig['GATEWAY_ROUTES']['pii'];
  private readonly modelAccess: IngressConfig['GATEWAY_ROUTES']['models'];
  private readonly rateLimits: IngressConfig['GATEWAY_ROUTES']['rateLimits'];
  readonly limiter: RateLimiter;
  readonly clients = new UpstreamClients();
  readonly maxAttempts: number;
  readonly maxRetryWaitMs: number;
  private readonly drainMs: number;
  private closing = false;
  private inFlight = 0;
  private readonly idle: Array<() => void> = [];
  private readonly outbox: RecordOutbox;
  private readonly log: Logger;
  private readonly calls: Counter<'status' | 'upstream'>;
  private readonly unrecorded: Counter<'reason'>;
  private readonly overhead: Histogram<'stream'>;

  constructor(
    config: ConfigService<IngressConfig>,
    private readonly publisher: EventPublisher,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS) registry: Registry,
    @Inject(REDIS) redis: Redis,
  ) {
    this.router = new Router(config.get('GATEWAY_ROUTES'));
    this.piiPolicies = config.get('GATEWAY_ROUTES').pii;
    this.modelAccess = config.get('GATEWAY_ROUTES').models;
    this.rateLimits = config.get('GATEWAY_ROUTES').rateLimits;
    this.limiter = new RateLimiter(redis, config.get('REDIS_KEY_PREFIX'), logger);
    this.maxAttempts = config.get('GATEWAY_MAX_ATTEMPTS');
    this.maxRetryWaitMs = config.get('GATEWAY_MAX_RETRY_WAIT_MS');
    this.drainMs = config.get('INGRESS_ACK_TIMEOUT_MS');
    this.log = logger.child({ component: 'gateway' });
    this.calls = new Counter({
      name: 'llmops_gateway_calls_total',
      help: 'Model calls through the gateway, by outcome and upstream',
      labelNames: ['status', 'upstream'],
      registers: [registry],
    });
    this.unrecorded = new Counter({
      name: 'llmops_gateway_records_lost_total',
      help: 'Gateway audit records lost: refused by Kafka, or still unacknowledged at shutdown (each logged with its event id)',
      labelNames: ['reason'],
      registers: [registry],
    });
    const outbox = (this.outbox = new RecordOutbox(
      publisher,
      topicNames(config.get('TOPIC_PREFIX')).invocations,
      this.log,
      (reason, n) => this.unrecorded.inc({ reason }, n),
      { maxPending: config.get('GATEWAY_MAX_PENDING_RECORDS') },
    ));
    new Gauge({
      name: 'llmops_gateway_records_pending',
      help: 'Gateway audit records waiting for Kafka to acknowledge them',
      registers: [registry],
      collect: function (this: Gauge) {
        this.set(outbox.size);
      },
    });
    this.overhead = new Histogram({
      name: 'llmops_gateway_overhead_seconds',
      help: "Time the gateway spent on a call besides waiting for the upstream's first byte",
      labelNames: ['stream'],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05],
      registers: [registry],
    });
  }

  /**
   * Whether the tenant, and its app, may call `model`: each allowlist that applies must name it
   * (exactly, or by a prefix ending in `*`). Undefined when allowed; else which list refuses.
   */
  modelRefusal(
    tenant: string,
    app: string,
    model: string,
  ): { by: 'tenant' | 'app'; allowed: string[] } | undefined {
    const access = this.modelAccess.get(tenant);
    if (!access) return undefined;
    const allows = (list: string[]) =>
      list.some((m) => (m.endsWith('*') ? model.startsWith(m.slice(0, -1)) : m === model));
    if (access.tenant && !allows(access.tenant)) return { by: 'tenant', allowed: access.tenant };
    const appList = access.apps.get(app);
    if (appList && !allows(appList)) return { by: 'app', allowed: appList };
    return undefined;
  }

  /** The tenant's request and token rate limits (empty: none). */
  rateLimitsOf(tenant: string): RateLimits {
    return this.rateLimits.byTenant.get(tenant) ?? this.rateLimits.default;
  }

  /** The tenant's PII action for an endpoint of `kind`. */
  piiAction(tenant: string, kind: 'external' | 'internal'): PiiAction {
    return (this.piiPolicies.byTenant.get(tenant) ?? this.piiPolicies.default)[kind];
  }

  /** Whether the record of a call made now could be kept; if not the call is refused first. */
  canRecord(): boolean {
    return !this.closing && this.outbox.accepting() && this.publisher.accepting(1);
  }

  /** A call began: shutdown waits for it before the outbox closes. */
  begin(): void {
    this.inFlight++;
  }

  /** A call ended (its record handed to the outbox). */
  end(): void {
    this.inFlight--;
    if (this.inFlight === 0) for (const resolve of this.idle.splice(0)) resolve();
  }

  observeOverhead(stream: boolean, seconds: number): void {
    this.overhead.observe({ stream: String(stream) }, seconds);
  }

  /**
   * Hands the call's record to the outbox after its answer went out: the client never waits
   * for Kafka, and the record is retried until Kafka takes it. Returns the tokens the call
   * used (reported or counted), for the token rate limits.
   */
  record(call: GatewayCall): number {
    let record;
    try {
      record = gatewayRecord(call);
    } catch (err) {
      this.unrecorded.inc({ reason: 'invalid' });
      this.log.error({ eventId: call.eventId, err }, 'gateway record could not be built');
      return 0;
    }
    const problems = invocationLimitErrors(record, Date.now());
    if (problems.length > 0)
      this.log.warn(
        { eventId: call.eventId, problems },
        'gateway record breaks the invocation limits',
      );
    this.calls.inc({ status: record.status, upstream: call.target?.upstream.name ?? 'none' });
    this.outbox.add({
      key: invocationKey(record.tenant_id, record.trace_id),
      value: invocationCodec.encode(record),
      headers: { 'llmops-event-id': record.event_id, 'llmops-tenant': record.tenant_id },
    });
    return record.usage.input_tokens + record.usage.output_tokens;
  }

  /** Before the producer closes: give Kafka the records still waiting. */
  /**
   * On shutdown: new calls are refused (503, no model call), calls under way finish and hand
   * over their records, then Kafka gets what the outbox holds; all bounded by the ack timeout.
   */
  async beforeApplicationShutdown() {
    this.closing = true;
    let timer: NodeJS.Timeout | undefined;
    if (this.inFlight > 0)
      await Promise.race([
        new Promise<void>((resolve) => this.idle.push(resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, this.drainMs))),
      ]);
    clearTimeout(timer);
    await this.outbox.close(this.drainMs);
  }

  onApplicationShutdown() {
    return this.clients.close();
  }
}
