import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { Registry } from 'prom-client';
import { ConfigService } from '@llmops/config';
import {
  invocationCodec,
  invocationKey,
  invocationLimitErrors,
  type Invocation,
  topicNames,
} from '@llmops/contracts';
import type { Message } from 'kafkajs';
import { PriceBook, loadPriceFile, type HoldAmount } from '@llmops/pricing';
import { EventPublisher } from '@llmops/kafka';
import { Counter, Gauge, Histogram, type Logger } from '@llmops/observability';
import type { IngressConfig } from '../config/ingress-config';
import type { Redis } from 'ioredis';
import { GatewayControlService } from '../gateway-control/gateway-control.service';
import { resolveState, type KnownUpstream } from '../gateway-control/gateway-state';
import { GuardrailsControlService } from '../guardrails-control/guardrails-control.service';
import { LOGGER, METRICS, REDIS } from '../infra/tokens';
import type { KafkaDownPolicy, RouteTarget } from './gateway-config';
import { gatewayRecord, type GatewayCall } from './gateway-record';
import type { CallHook } from './call-hooks';
import { PiiGuard, type PiiAction } from './pii-guard';
import { PiiHook } from './pii-hook';
import { GuardrailHook } from './guardrail-hook';
import { ToolHistory } from './tool-history';
import { RateLimiter, type RateLimits } from './rate-limiter';
import { RecordOutbox } from './record-outbox';
import { RecordSpool, SpoolDrain } from './record-spool';
import { Router } from './router';
import { UpstreamClients } from './upstream-client';

const NOTHING: HoldAmount = { tokens: 0n, picoUsd: 0n };

/** Routes, upstream connections and the one audit record of every call. */
@Injectable()
export class GatewayService
  implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown
{
  /** The router of the current upstreams and routes; a call keeps the one it began with. */
  private current: Router;
  private known: ReadonlyMap<string, KnownUpstream> = new Map();
  private readonly fileRoutes: IngressConfig['GATEWAY_ROUTES'];
  private readonly readCredential: IngressConfig['GATEWAY_CREDENTIALS'];
  readonly pii = new PiiGuard();
  /** The hooks every call goes through, in order: the guardrail rules, then the PII policy. */
  readonly hooks: CallHook[];
  private readonly piiPolicies: IngressConfig['GATEWAY_ROUTES']['pii'];
  private readonly modelAccess: IngressConfig['GATEWAY_ROUTES']['models'];
  private readonly rateLimits: IngressConfig['GATEWAY_ROUTES']['rateLimits'];
  readonly limiter: RateLimiter;
  readonly clients = new UpstreamClients();
  readonly maxAttempts: number;
  /** Prices, for what a call may cost before it is made (budget holds) and what it cost after. */
  private readonly prices: PriceBook;
  readonly budgetHoldGraceMs: number;
  readonly maxRetryWaitMs: number;
  private readonly drainMs: number;
  private closing = false;
  private inFlight = 0;
  private readonly idle: Array<() => void> = [];
  private readonly outbox: RecordOutbox;
  private readonly topic: string;
  private readonly spoolDir: string | undefined;
  private readonly spoolMaxBytes: number;
  /** Where records go while Kafka does not take them, for tenants whose policy says spool. */
  private spool: RecordSpool | undefined;
  private drain: SpoolDrain | undefined;
  private readonly whenKafkaDown: IngressConfig['GATEWAY_ROUTES']['whenKafkaDown'];
  private readonly spooled: Counter;
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
    private readonly control: GatewayControlService,
    guardrails: GuardrailsControlService,
  ) {
    this.fileRoutes = config.get('GATEWAY_ROUTES');
    // Guardrail rules judge the client's own texts; the PII policy then rewrites what goes upstream.
    // The rules are the control plane's, followed live: the hook asks for the current engine.
    this.hooks = [
      new GuardrailHook(
        (tenant) => guardrails.engineFor(tenant),
        new ToolHistory(redis, config.get('REDIS_KEY_PREFIX')),
      ),
      new PiiHook(this.pii, (tenant, kind) => this.piiAction(tenant, kind)),
    ];
    this.readCredential = config.get('GATEWAY_CREDENTIALS');
    // Until the control plane is read (before the server listens): nothing to serve.
    this.current = new Router({ ...this.fileRoutes, upstreams: new Map(), routes: new Map() });
    this.piiPolicies = config.get('GATEWAY_ROUTES').pii;
    this.modelAccess = config.get('GATEWAY_ROUTES').models;
    this.rateLimits = config.get('GATEWAY_ROUTES').rateLimits;
    this.whenKafkaDown = config.get('GATEWAY_ROUTES').whenKafkaDown;
    this.spoolDir = config.get('GATEWAY_SPOOL_DIR');
    this.spoolMaxBytes = config.get('GATEWAY_SPOOL_MAX_BYTES');
    this.topic = topicNames(config.get('TOPIC_PREFIX')).invocations;
    this.limiter = new RateLimiter(redis, config.get('REDIS_KEY_PREFIX'), logger);
    this.maxAttempts = config.get('GATEWAY_MAX_ATTEMPTS');
    const pricing = config.get('PRICING_FILE');
    this.prices = new PriceBook(undefined, pricing ? loadPriceFile(pricing) : []);
    this.budgetHoldGraceMs = config.get('GATEWAY_BUDGET_HOLD_GRACE_MS');
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
    this.spooled = new Counter({
      name: 'llmops_gateway_records_spooled_total',
      help: 'Gateway audit records written to the local spool while Kafka did not take records',
      registers: [registry],
    });
    new Gauge({
      name: 'llmops_gateway_spool_bytes',
      help: 'Bytes of gateway audit records in the local spool, waiting for Kafka',
      registers: [registry],
      collect: function (this: Gauge) {
        this.set(spoolSize());
      },
    });
    const spoolSize = () => this.spool?.size ?? 0;
    const outbox = (this.outbox = new RecordOutbox(
      publisher,
      this.topic,
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

  get router(): Router {
    return this.current;
  }

  /**
   * Opens the spool (sending what an earlier run left in it once Kafka takes records), then
   * serves the control plane's upstreams and routes and follows every change to them.
   */
  async onModuleInit() {
    if (this.spoolDir) {
      const spool = (this.spool = await RecordSpool.open(
        this.spoolDir,
        this.spoolMaxBytes,
        this.log,
      ));
      this.drain = new SpoolDrain(
        spool,
        () => this.outbox.accepting() && this.publisher.accepting(1),
        (messages) => this.publisher.publish(this.topic, messages),
        this.log,
        // Records answered before the gateway knew Kafka was away wait in memory: those of
        // tenants that spool go to disk too, where a crash cannot take them.
        () =>
          this.outbox.spill(
            (m) => this.policyOf(String(m.headers?.['llmops-tenant'] ?? '')) === 'spool',
            (left) => Promise.all(left.map((m) => spool.append(m))).then(() => undefined),
          ),
      );
      this.drain.start();
    }
    this.control.store.follow(() => this.follow());
  }

  /**
   * A new router over the current entries. Unchanged upstreams keep their objects, so their
   * connection pools and circuit state carry over; pools of removed or changed ones close
   * once the calls under way on them are done.
   */
  private follow(): void {
    const { store } = this.control;
    const next = resolveState(
      { upstreams: store.upstreams(), routes: store.routes().map((r) => r.spec) },
      this.known,
      this.readCredential,
      this.log,
    );
    const router = new Router({
      ...this.fileRoutes,
      upstreams: next.upstreams,
      routes: next.routes,
    });
    router.adoptCircuits(this.current, next.kept);
    this.current = router;
    this.known = next.known;
    this.clients.retain(next.upstreams.values());
    this.log.debug(
      { upstreams: next.upstreams.size, routes: next.routes.size },
      'gateway routes updated',
    );
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
  recordMode(tenant: string): 'kafka' | 'spool' | undefined {
    if (this.closing) return undefined;
    if (this.outbox.accepting() && this.publisher.accepting(1)) return 'kafka';
    return this.policyOf(tenant) === 'spool' && this.spool?.writable() ? 'spool' : undefined;
  }

  /** Whether the tenant's callers may send their own provider key. */
  acceptsCallerKeys(tenant: string): boolean {
    return this.fileRoutes.callerKeys.has(tenant);
  }

  private policyOf(tenant: string): KafkaDownPolicy {
    return this.whenKafkaDown.byTenant.get(tenant) ?? this.whenKafkaDown.default;
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
   * for Kafka, and the record is retried until Kafka takes it. Returns what the call used
   * (reported or counted), for the token rate limits and the budget holds.
   */
  record(call: GatewayCall): HoldAmount {
    const built = this.build(call);
    if (built) this.outbox.add(built.message);
    return built?.used ?? NOTHING;
  }

  /** How long a call on `targets` may take at most: its budget hold lasts that long, or until it ends. */
  holdMs(targets: RouteTarget[]): number {
    return Math.max(...targets.map((t) => t.upstream.timeouts.totalMs)) * this.maxAttempts + 60_000;
  }

  /** What a call of `prompt` and at most `output` tokens to `target` may cost, in picodollars. */
  mayCost(target: RouteTarget, prompt: number, output: number): bigint {
    const price = this.prices.price(target.upstream.provider, [target.model], Date.now());
    if (!price) return 0n;
    const usage = {
      input_tokens: prompt,
      output_tokens: output,
      cached_input_tokens: 0,
      reasoning_tokens: 0,
    };
    return PriceBook.cost(usage, price);
  }

  /**
   * For a call made while Kafka does not take records, under a `spool` policy: writes its record
   * to the spool and resolves once it is on disk, before the client gets the end of its answer.
   * Should the disk fail, the record waits in memory for Kafka like any other (logged).
   */
  async spoolRecord(call: GatewayCall): Promise<HoldAmount> {
    const built = this.build(call);
    if (!built) return NOTHING;
    try {
      await this.spool!.append(built.message);
      this.spooled.inc();
    } catch (err) {
      this.log.error(
        { eventId: call.eventId, err },
        'gateway record not spooled (the disk refused it): kept in memory for Kafka instead',
      );
      this.outbox.add(built.message);
    }
    return built.used;
  }

  /** The call's record as a Kafka message, and the tokens it used. */
  private build(call: GatewayCall): { message: Message; used: HoldAmount } | undefined {
    let record;
    try {
      record = gatewayRecord(call);
    } catch (err) {
      this.unrecorded.inc({ reason: 'invalid' });
      this.log.error({ eventId: call.eventId, err }, 'gateway record could not be built');
      return undefined;
    }
    const problems = invocationLimitErrors(record, Date.now());
    if (problems.length > 0)
      this.log.warn(
        { eventId: call.eventId, problems },
        'gateway record breaks the invocation limits',
      );
    this.calls.inc({ status: record.status, upstream: call.target?.upstream.name ?? 'none' });
    return {
      message: {
        key: invocationKey(record.tenant_id, record.trace_id),
        value: invocationCodec.encode(record),
        headers: { 'llmops-event-id': record.event_id, 'llmops-tenant': record.tenant_id },
      },
      used: {
        tokens: BigInt(record.usage.input_tokens + record.usage.output_tokens),
        picoUsd: this.costOf(record),
      },
    };
  }

  /** What the call cost as the accountant will price it (response model first), 0 when unpriced. */
  private costOf(record: Invocation): bigint {
    const price = this.prices.price(
      record.provider_name,
      [record.response_model, record.request_model, record.gateway?.upstream_model],
      record.start_time_ms,
    );
    return price ? PriceBook.cost(record.usage, price) : 0n;
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
    await this.drain?.stop();
    // Records Kafka did not take in time go to the spool, where there is one, not to waste.
    const spool = this.spool;
    await this.outbox.close(
      this.drainMs,
      spool
        ? (left) => Promise.all(left.map((m) => spool.append(m))).then(() => undefined)
        : undefined,
    );
    await spool?.close();
  }

  onApplicationShutdown() {
    return this.clients.close();
  }
}
