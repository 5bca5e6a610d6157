import { Module } from '@nestjs/common';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { BudgetsController } from './budgets.controller';
import { BudgetsService } from './budgets.service';

@Module({ controllers: [BudgetsController], providers: [BudgetsService, ApiKeyGuard] })
export class BudgetsModule {}
