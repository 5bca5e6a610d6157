import type { Kafka } from 'kafkajs';
import { budgetCodec, type Budget } from '@llmops/contracts';
import { CompactedTopic } from '@llmops/control-plane';
import type { Logger } from '@llmops/observability';
import { buildBudget, type BudgetInput } from './budgets';

/**
 * Budgets on the compacted topic `llmops.control.budgets.v1` (see
 * CompactedTopic), keyed by tenant/budget id like the API keys: durable in
 * Kafka, so a Redis restart loses no budget — Redis holds only counters and
 * threshold claims. Every replica reads the topic to its end at start, then
 * follows it live; lookups are in memory.
 */
export class BudgetStore {
  private readonly budgets = new Map<string, Budget>();
  private readonly byTenant = new Map<string, Budget[]>();
  private readonly state: CompactedTopic<Budget>;
  private readonly log: Logger;

  constructor(kafka: Kafka, logger: Logger, topic: string) {
    this.log = logger.child({ component: 'budgets' });
    this.state = new CompactedTopic<Budget>({
      kafka,
      logger,
      topic,
      what: 'budgets',
      decode: (bytes) => budgetCodec.decode(bytes),
      encode: (record) => budgetCodec.encode(record),
      key: (record) => storeKey(record.tenant_id, record.budget_id),
      apply: (record) => this.apply(record),
    });
  }

  /** Reads the topic up to its current end, then keeps following it. */
  async start(timeoutMs = 30_000): Promise<void> {
    await this.state.start(timeoutMs);
    this.log.info({ budgets: this.budgets.size }, 'budgets loaded');
  }

  stop(): Promise<void> {
    return this.state.stop();
  }

  /** Live (not deleted) budgets of a tenant. */
  forTenant(tenant: string): Budget[] {
    return this.byTenant.get(tenant) ?? [];
  }

  /** Every live budget, or one tenant's. */
  list(tenant?: string): Budget[] {
    return tenant
      ? this.forTenant(tenant)
      : [...this.budgets.values()].filter((b) => b.deleted_at_ms === null);
  }

  get(tenant: string, budgetId: string): Budget | undefined {
    const b = this.budgets.get(storeKey(tenant, budgetId));
    return b && b.deleted_at_ms === null ? b : undefined;
  }

  /** Creates a budget; throws BudgetValidationError, or an Error when the id is taken. */
  async create(tenant: string, input: BudgetInput, now = Date.now()): Promise<Budget> {
    const budget = buildBudget(tenant, input, now);
    if (this.get(tenant, budget.budget_id)) {
      throw new BudgetExistsError(tenant, budget.budget_id);
    }
    const previous = this.budgets.get(storeKey(tenant, budget.budget_id));
    // A deleted id may be reused; its revision keeps counting so old threshold claims stay apart.
    if (previous) budget.revision = previous.revision + 1;
    await this.write(budget);
    return budget;
  }

  /** Changes limit, thresholds, hard limit or name; the revision goes up. */
  async update(tenant: string, budgetId: string, input: BudgetInput, now = Date.now()) {
    const existing = this.get(tenant, budgetId);
    if (!existing) return undefined;
    const budget = buildBudget(tenant, input, now, existing);
    await this.write(budget);
    return budget;
  }

  async delete(tenant: string, budgetId: string, now = Date.now()): Promise<Budget | undefined> {
    const existing = this.get(tenant, budgetId);
    if (!existing) return undefined;
    const deleted = {
      ...existing,
      revision: existing.revision + 1,
      updated_at_ms: now,
      deleted_at_ms: now,
    };
    await this.write(deleted);
    return deleted;
  }

  private write(record: Budget): Promise<void> {
    return this.state.write(record);
  }

  private apply(record: Budget): void {
    const key = storeKey(record.tenant_id, record.budget_id);
    const current = this.budgets.get(key);
    // Our own write is applied at once and read back later: never go back a revision.
    if (current && current.revision > record.revision) return;
    this.budgets.set(key, record);
    this.byTenant.set(
      record.tenant_id,
      [...this.budgets.values()].filter(
        (b) => b.tenant_id === record.tenant_id && b.deleted_at_ms === null,
      ),
    );
  }
}

export class BudgetExistsError extends Error {
  constructor(tenant: string, budgetId: string) {
    super(`tenant ${tenant} already has a budget '${budgetId}'; change it instead`);
    this.name = 'BudgetExistsError';
  }
}

function storeKey(tenant: string, budgetId: string): string {
  return `${tenant}/${budgetId}`;
}
