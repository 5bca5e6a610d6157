import { Module } from '@nestjs/common';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { GuardrailsControlController } from './guardrails-control.controller';
import { GuardrailsControlService } from './guardrails-control.service';

/** The gateway's guardrail rules on the control plane, their compiled engines and admin API. */
@Module({
  controllers: [GuardrailsControlController],
  providers: [GuardrailsControlService, ApiKeyGuard],
  exports: [GuardrailsControlService],
})
export class GuardrailsControlModule {}
