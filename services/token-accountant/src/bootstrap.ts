import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { PinoNestLogger, createLogger, type Logger } from '@llmops/observability';
import { AccountingModule } from './accounting/accounting.module';
import type { AccountantConfig } from './config/accountant-config';

/** Starts the token-accountant; `close()` on the result drains and disconnects. */
export async function startTokenAccountant(
  config: AccountantConfig,
  logger?: Logger,
): Promise<INestApplicationContext> {
  const log =
    logger ??
    createLogger('token-accountant', { level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  const app = await NestFactory.createApplicationContext(AccountingModule.register(config, log), {
    logger: new PinoNestLogger(log.child({ component: 'nest' })),
    abortOnError: false,
  });
  await app.init();
  return app;
}
