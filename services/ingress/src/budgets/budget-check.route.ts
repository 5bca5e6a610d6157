import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { BudgetSubject } from '@llmops/pricing';
import { Authenticator } from '../auth/authenticator';
import { ApiError } from '../http/api-error';
import { budgetStateView } from './budget-view';
import { BudgetsService } from './budgets.service';

export const BUDGET_CHECK_PATH = '/v1/budgets/check';

/** 429 with the budget that denies the call, in the API's error shape plus `budget`. */
export class BudgetExceededError extends ApiError {
  constructor(
    private readonly state: ReturnType<typeof budgetStateView>,
    retryAfterS: number,
  ) {
    super(
      429,
      'budget_exceeded',
      `budget '${state.budget_id}' (${state.scope}${state.scope_value ? ` ${state.scope_value}` : ''}, ${state.period} ${state.window}) has reached its hard limit: used ${state.used} of ${state.limit} ${state.unit}; it resets at ${state.resets_at}`,
      undefined,
      { 'retry-after': String(retryAfterS) },
    );
  }
  override getResponse(): object {
    const body = super.getResponse() as { error: object };
    return { error: { ...body.error, budget: this.state } };
  }
}

function optionalId(b: Record<string, unknown>, field: string): string | null {
  const v = b[field];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string' || v.length === 0 || v.length > 256) {
    throw new ApiError(400, 'invalid_check', `${field} must be a string of 1-256 characters`, [
      { path: field, message: 'must be a string of 1-256 characters' },
    ]);
  }
  return v;
}

/** The call about to be made, from the check's body: `app_id` required, user and agent optional. */
export function checkSubject(input: unknown): BudgetSubject {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ApiError(400, 'invalid_body', 'send a JSON object');
  }
  const b = input as Record<string, unknown>;
  const app = optionalId(b, 'app_id');
  if (!app) {
    throw new ApiError(400, 'invalid_check', 'app_id is required', [
      { path: 'app_id', message: 'is required' },
    ]);
  }
  return { app_id: app, user_id: optionalId(b, 'user_id'), agent_id: optionalId(b, 'agent_id') };
}

/**
 * `POST /v1/budgets/check` (ingest scope): may this call be made now? 200 with
 * the states of the budgets that apply, or 429 naming the budget at its hard
 * limit. Producers call it before every model call, so it is served by Fastify
 * directly, not through Nest's router: key check, the tenant's budgets from
 * memory, one Redis call, the answer. Nest's per-request pipeline more than
 * doubled what the check allocated, and with it the garbage collections in its
 * p99 (bench/RESULTS.md, issue 3). Thrown errors reach the app's exception
 * filter through the error handler Nest installs on Fastify, like every route's.
 */
@Injectable()
export class BudgetCheckRoute implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly auth: Authenticator,
    private readonly budgets: BudgetsService,
  ) {}

  onModuleInit() {
    const app = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    app.post(BUDGET_CHECK_PATH, (req) => this.check(req));
  }

  async check(req: FastifyRequest) {
    const key = this.auth.authenticate(req, 'ingest');
    const decision = await this.budgets.check(key.tenant_id, checkSubject(req.body));
    if (!decision.allowed) {
      throw new BudgetExceededError(budgetStateView(decision.denied), decision.retryAfterS);
    }
    return { allowed: true, budgets: decision.states.map(budgetStateView) };
  }
}
