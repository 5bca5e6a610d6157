import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Kafka } from 'kafkajs';
import { ConfigService } from '@llmops/config';
import { topicNames } from '@llmops/contracts';
import type { Logger } from '@llmops/observability';
import {
  BudgetExistsError,
  budgetApplies,
  budgetPoints,
  BudgetGate,
  BudgetHolds,
  BudgetStore,
  BudgetValidationError,
  UsageKeys,
  UsageReader,
  type BudgetDecision,
  type BudgetHold,
  type HoldAmount,
  type HoldDecision,
  type BudgetInput,
  type BudgetSubject,
} from '@llmops/pricing';
import type { IngressConfig } from '../config/ingress-config';
import { ApiError } from '../http/api-error';
import { KAFKA, LOGGER, REDIS } from '../infra/tokens';

/**
 * Budgets of the key's tenant: stored on the compacted control topic
 * (durable, survives any Redis restart), read from this replica's in-memory
 * copy; usage against them is read from Redis.
 */
@Injectable()
export class BudgetsService implements OnModuleInit, OnModuleDestroy {
  readonly store: BudgetStore;
  private readonly gate: BudgetGate;
  private readonly holds: BudgetHolds;
  private readonly log: Logger;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(REDIS) redis: Redis,
    config: ConfigService<IngressConfig>,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'budgets' });
    this.store = new BudgetStore(
      kafka,
      logger,
      topicNames(config.get('TOPIC_PREFIX')).controlBudgets,
    );
    const keys = new UsageKeys(config.get('REDIS_KEY_PREFIX'));
    this.gate = new BudgetGate(this.store, new UsageReader(redis, keys));
    this.holds = new BudgetHolds(redis, keys);
  }

  onModuleInit() {
    return this.store.start();
  }

  onModuleDestroy() {
    return this.store.stop();
  }

  async create(tenant: string, input: BudgetInput) {
    try {
      return await this.store.create(tenant, input);
    } catch (err) {
      throw toApiError(err);
    }
  }

  async update(tenant: string, id: string, input: BudgetInput) {
    let updated;
    try {
      updated = await this.store.update(tenant, id, input);
    } catch (err) {
      throw toApiError(err);
    }
    return updated ?? notFound(id);
  }

  async delete(tenant: string, id: string) {
    return (await this.store.delete(tenant, id)) ?? notFound(id);
  }

  get(tenant: string, id: string) {
    return this.store.get(tenant, id) ?? notFound(id);
  }

  /** Whether a budget with a hard limit applies to calls of `subject` (a hold is worth estimating). */
  limits(tenant: string, subject: BudgetSubject): boolean {
    return this.store
      .forTenant(tenant)
      .some((b) => budgetApplies(b, subject) && budgetPoints(b).some((p) => p.kind === 'hard'));
  }

  /**
   * The gateway's check: may this call be made now, with what it may use (`amount`) held on its
   * budgets until it ends, atomically with the check, so that concurrent calls cannot all pass
   * a budget's last room.
   */
  async hold(
    tenant: string,
    subject: BudgetSubject,
    amount: HoldAmount,
    holdId: string,
    holdMs: number,
  ): Promise<HoldDecision> {
    try {
      return await this.holds.take(
        tenant,
        this.store.forTenant(tenant),
        subject,
        amount,
        holdId,
        holdMs,
      );
    } catch (err) {
      throw usageUnavailable(err);
    }
  }

  /** Once the call ended: its hold shrinks to what it used, for the accountant to catch up. Never throws. */
  async settle(hold: BudgetHold, used: HoldAmount, graceMs: number): Promise<void> {
    try {
      await this.holds.settle(hold, used, graceMs);
    } catch (err) {
      this.log.warn({ err }, 'budget hold not settled: it expires by itself');
    }
  }

  /** May this call be made now? The budgets that apply to it, read in one Redis call. */
  async check(tenant: string, subject: BudgetSubject): Promise<BudgetDecision> {
    try {
      return await this.gate.check(tenant, subject);
    } catch (err) {
      throw usageUnavailable(err);
    }
  }
}

function usageUnavailable(err: unknown): ApiError {
  return new ApiError(
    503,
    'usage_unavailable',
    `budget state cannot be read right now (${(err as Error).message}); retry shortly`,
    undefined,
    { 'retry-after': '1' },
  );
}

function notFound(id: string): never {
  throw new ApiError(
    404,
    'budget_not_found',
    `no budget '${id}' in this tenant; GET /v1/budgets lists them`,
  );
}

function toApiError(err: unknown): unknown {
  if (err instanceof BudgetValidationError) {
    return new ApiError(400, 'invalid_budget', err.message, err.errors);
  }
  if (err instanceof BudgetExistsError) return new ApiError(409, 'budget_exists', err.message);
  return err;
}
