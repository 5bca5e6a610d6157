import { Module } from '@nestjs/common';
import { BudgetsModule } from '../budgets/budgets.module';
import { ChatCompletionsRoute } from './chat-completions.route';
import { GatewayService } from './gateway.service';

/** The OpenAI-compatible gateway: routes, upstream calls and their audit records. */
@Module({
  imports: [BudgetsModule],
  providers: [GatewayService, ChatCompletionsRoute],
})
export class GatewayModule {}
