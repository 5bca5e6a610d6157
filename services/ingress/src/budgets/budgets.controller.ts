import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Req,
  UseGuards,
} from '@nestjs/common';
import type { BudgetState } from '@llmops/pricing';
import { ApiKeyGuard, type AuthedRequest } from '../auth/api-key.guard';
import { RequireScope } from '../auth/scopes.decorator';
import { ApiError } from '../http/api-error';
import { budgetStateView, budgetView } from './budget-view';
import { BudgetsService } from './budgets.service';

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

function body(input: unknown): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ApiError(400, 'invalid_body', 'send a JSON object');
  }
  return input as Record<string, unknown>;
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

@Controller('v1/budgets')
@UseGuards(ApiKeyGuard)
export class BudgetsController {
  constructor(private readonly budgets: BudgetsService) {}

  /**
   * Pre-flight: may this call be made now? 200 with the budgets' states, or
   * 429 naming the budget at its hard limit. Producers call it before
   * invoking a model; it never affects the record of a call already made.
   */
  @Post('check')
  @HttpCode(200)
  @RequireScope('ingest')
  async check(@Body() input: unknown, @Req() req: AuthedRequest) {
    const b = body(input);
    const app = optionalId(b, 'app_id');
    if (!app) {
      throw new ApiError(400, 'invalid_check', 'app_id is required', [
        { path: 'app_id', message: 'is required' },
      ]);
    }
    const now = Date.now();
    const states = await this.budgets.states(
      req.apiKey.tenant_id,
      { app_id: app, user_id: optionalId(b, 'user_id'), agent_id: optionalId(b, 'agent_id') },
      now,
    );
    const denied = states.find((s: BudgetState) => s.exceeded);
    if (denied) {
      throw new BudgetExceededError(
        budgetStateView(denied),
        Math.max(1, Math.ceil((denied.window.endMs - now) / 1000)),
      );
    }
    return { allowed: true, budgets: states.map(budgetStateView) };
  }

  @Post()
  @HttpCode(201)
  @RequireScope('admin')
  async create(@Body() input: unknown, @Req() req: AuthedRequest) {
    return budgetView(await this.budgets.create(req.apiKey.tenant_id, body(input)));
  }

  @Get()
  @RequireScope('admin')
  list(@Req() req: AuthedRequest) {
    return { budgets: this.budgets.store.forTenant(req.apiKey.tenant_id).map(budgetView) };
  }

  @Get(':id')
  @RequireScope('admin')
  get(@Param('id') id: string, @Req() req: AuthedRequest) {
    return budgetView(this.budgets.get(req.apiKey.tenant_id, id));
  }

  @Patch(':id')
  @RequireScope('admin')
  async update(@Param('id') id: string, @Body() input: unknown, @Req() req: AuthedRequest) {
    return budgetView(await this.budgets.update(req.apiKey.tenant_id, id, body(input)));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScope('admin')
  async remove(@Param('id') id: string, @Req() req: AuthedRequest) {
    await this.budgets.delete(req.apiKey.tenant_id, id);
  }
}
