import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { PinoNestLogger, createLogger, type Logger } from '@llmops/observability';
import type { ScannerConfig } from './config/scanner-config';
import { ScannerModule } from './scanner/scanner.module';

/** Starts the pii-scanner; `close()` on the result drains and disconnects. */
export async function startPiiScanner(
  config: ScannerConfig,
  logger?: Logger,
): Promise<INestApplicationContext> {
  const log =
    logger ?? createLogger('pii-scanner', { level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  const app = await NestFactory.createApplicationContext(ScannerModule.register(config, log), {
    logger: new PinoNestLogger(log.child({ component: 'nest' })),
    abortOnError: false,
  });
  await app.init();
  return app;
}
