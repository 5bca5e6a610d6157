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
import { budgetView } from '@llmops/pricing';
import { ApiKeyGuard, type AuthedRequest } from '../auth/api-key.guard';
import { RequireScope } from '../auth/scopes.decorator';
import { ApiError } from '../http/api-error';
import { BudgetsService } from './budgets.service';

function body(input: unknown): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ApiError(400, 'invalid_body', 'send a JSON object');
  }
  return input as Record<string, unknown>;
}

@Controller('v1/budgets')
@UseGuards(ApiKeyGuard)
export class BudgetsController {
  constructor(private readonly budgets: BudgetsService) {}

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
