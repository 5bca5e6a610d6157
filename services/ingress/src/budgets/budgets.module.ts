import { Module } from '@nestjs/common';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { BudgetCheckRoute } from './budget-check.route';
import { BudgetsController } from './budgets.controller';
import { BudgetsService } from './budgets.service';

@Module({
  controllers: [BudgetsController],
  providers: [BudgetsService, BudgetCheckRoute, ApiKeyGuard],
  exports: [BudgetsService],
})
export class BudgetsModule {}
