import type { Redis } from 'ioredis';
import {
  budgetEventCodec,
  securityEventCodec,
  type Invocation,
  type TopicNames,
} from '@llmops/contracts';
import { EventPublisher, RetriableError, type ConsumedRecord } from '@llmops/kafka';
import { Counter, type Logger, type Registry } from '@llmops/observability';
import {
  COUNT_SCRIPT,
  LuaScript,
  buildCountCalls,
  isNoScript,
  parseCountReply,
  type BudgetStore,
  type CountCall,
  type CountableEvent,
  type Crossing,
  type PriceBook,
  type UsageKeys,
} from '@llmops/pricing';
import { breachSecurityEvent, budgetEvent } from './budget-records';
import { toCountable } from './invocation-usage';

export const countScript = new LuaScript(COUNT_SCRIPT);

export interface AccountantOptions {
  dedupeTtlS: number;
}

/**
 * Turns a batch of invocations into counters (one Redis round trip: a
 * pipeline of one script call per tenant), then writes the budget events
 * and breach security events of the thresholds the batch crossed, then
 * marks those claims sent. Safe to run again on the same batch.
 */
export class Accountant {
  private readonly unpriced: Counter<'provider' | 'model'>;
  private readonly counted: Counter<'outcome'>;
  private readonly budgetEvents: Counter<'kind'>;

  constructor(
    private readonly redis: Redis,
    private readonly keys: UsageKeys,
    private readonly prices: PriceBook,
    private readonly budgets: BudgetStore,
    private readonly publisher: EventPublisher,
    private readonly topics: TopicNames,
    private readonly logger: Logger,
    registry: Registry,
    private readonly opts: AccountantOptions,
  ) {
    this.unpriced = new Counter({
      name: 'llmops_accountant_unpriced_events_total',
      help: 'Invocations of a model without a price: counted in tokens, priced at zero',
      labelNames: ['provider', 'model'],
      registers: [registry],
    });
    this.counted = new Counter({
      name: 'llmops_accountant_events_total',
      help: 'Invocations handled, by outcome (counted, duplicate)',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.budgetEvents = new Counter({
      name: 'llmops_accountant_budget_events_total',
      help: 'Budget threshold events written, by kind (soft, hard)',
      labelNames: ['kind'],
      registers: [registry],
    });
  }

  async handle(records: ConsumedRecord<Invocation>[]): Promise<void> {
    // Validation and pricing first: nothing reaches Redis from a batch with a bad record.
    const byTenant = new Map<string, { events: CountableEvent[]; invs: Map<string, Invocation> }>();
    for (const { value } of records) {
      const e = toCountable(value, this.prices);
      let t = byTenant.get(value.tenant_id);
      if (!t) byTenant.set(value.tenant_id, (t = { events: [], invs: new Map() }));
      t.events.push(e);
      t.invs.set(e.event_id, value);
    }
    const calls: CountCall[] = [];
    for (const [tenant, t] of byTenant) {
      calls.push(
        ...buildCountCalls(
          this.keys,
          tenant,
          t.events,
          this.budgets.forTenant(tenant),
          this.opts.dedupeTtlS,
        ),
      );
    }
    const replies = await this.execute(calls);
    const crossings: Array<{ c: Crossing; inv: Invocation }> = [];
    let counted = 0;
    let duplicates = 0;
    calls.forEach((call, i) => {
      const result = parseCountReply(call, replies[i]);
      counted += result.counted;
      duplicates += result.duplicates;
      const invs = byTenant.get(call.tenant)!.invs;
      for (const c of result.crossings) crossings.push({ c, inv: invs.get(c.eventId)! });
    });
    this.counted.inc({ outcome: 'counted' }, counted);
    if (duplicates > 0) this.counted.inc({ outcome: 'duplicate' }, duplicates);
    for (const t of byTenant.values()) {
      for (const e of t.events) {
        if (!e.unpriced) continue;
        this.unpriced.inc({ provider: t.invs.get(e.event_id)!.provider_name, model: e.model });
      }
    }
    if (crossings.length > 0) await this.emit(crossings);
  }

  private async execute(calls: CountCall[]): Promise<unknown[]> {
    for (let attempt = 1; ; attempt++) {
      const pipeline = this.redis.pipeline();
      for (const c of calls) countScript.queue(pipeline, [c.tenantBase], c.args);
      let results: Array<[Error | null, unknown]>;
      try {
        results = (await pipeline.exec()) ?? [];
      } catch (err) {
        throw new RetriableError(`Redis unavailable: ${(err as Error).message}`, { cause: err });
      }
      const failed = results.find(([err]) => err)?.[0];
      if (!failed) return results.map(([, r]) => r);
      // After a Redis restart the script is gone: load it and run the batch again (idempotent).
      if (isNoScript(failed) && attempt === 1) {
        await countScript.load(this.redis);
        continue;
      }
      throw new RetriableError(`Redis refused the counting script: ${failed.message}`, {
        cause: failed,
      });
    }
  }

  private async emit(crossings: Array<{ c: Crossing; inv: Invocation }>): Promise<void> {
    const budgetMessages = crossings.map(({ c, inv }) => {
      const record = budgetEvent(c, inv);
      return {
        key: `${record.tenant_id}/${record.budget_id}`,
        value: budgetEventCodec.encode(record),
        headers: { 'llmops-budget-event-id': record.event_id },
      };
    });
    const breaches = crossings
      .filter(({ c }) => c.point.kind === 'hard')
      .map(({ c, inv }) => {
        const record = breachSecurityEvent(c, inv);
        return {
          key: c.ref.budget.tenant_id,
          value: securityEventCodec.encode(record),
          headers: { 'llmops-security-event-id': record.event_id },
        };
      });
    await Promise.all([
      this.publisher.publish(this.topics.budgetEvents, budgetMessages),
      breaches.length > 0
        ? this.publisher.publish(this.topics.securityEvents, breaches)
        : Promise.resolve(),
    ]);
    // Written: a later redelivery of the crossing event must not report it again.
    const pipeline = this.redis.pipeline();
    for (const { c } of crossings) {
      pipeline.set(c.claimKey, `sent:${c.eventId}`, 'KEEPTTL', 'XX');
    }
    await pipeline.exec();
    for (const { c } of crossings) this.budgetEvents.inc({ kind: c.point.kind });
    this.logger.info(
      {
        crossings: crossings.map(({ c }) => ({
          tenant: c.ref.budget.tenant_id,
          budget: c.ref.budget.budget_id,
          window: c.ref.window.label,
          pct: c.point.pct,
          kind: c.point.kind,
        })),
      },
      'budget thresholds crossed',
    );
  }
}
