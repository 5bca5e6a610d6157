import { Module } from '@nestjs/common';
import { BudgetsModule } from '../budgets/budgets.module';
import { GatewayControlModule } from '../gateway-control/gateway-control.module';
import { GuardrailsControlModule } from '../guardrails-control/guardrails-control.module';
import { GatewayRoutes } from './gateway.routes';
import { GatewayService } from './gateway.service';

/** The OpenAI-compatible gateway: routes, upstream calls and their audit records. */
@Module({
  imports: [BudgetsModule, GatewayControlModule, GuardrailsControlModule],
  providers: [GatewayService, GatewayRoutes],
})
export class GatewayModule {}
