import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from '@llmops/observability';
import type { IngressConfig } from './config/ingress-config';
import { BudgetsModule } from './budgets/budgets.module';
import { EventsModule } from './events/events.module';
import { GatewayModule } from './gateway/gateway.module';
import { HealthModule } from './health/health.module';
import { InfraModule } from './infra/infra.module';
import { UsageModule } from './usage/usage.module';

@Module({})
export class AppModule {
  static register(config: IngressConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        InfraModule.register(config, logger),
        EventsModule,
        BudgetsModule,
        GatewayModule,
        UsageModule,
        HealthModule,
      ],
    };
  }
}
