import { Module } from '@nestjs/common';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { GatewayControlController } from './gateway-control.controller';
import { GatewayControlService } from './gateway-control.service';

/** The gateway's upstreams and routes on the control plane, and their admin API. */
@Module({
  controllers: [GatewayControlController],
  providers: [GatewayControlService, ApiKeyGuard],
  exports: [GatewayControlService],
})
export class GatewayControlModule {}
