import { Module } from '@nestjs/common';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { UsageController } from './usage.controller';

@Module({ controllers: [UsageController], providers: [ApiKeyGuard] })
export class UsageModule {}
