import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { PinoNestLogger, createLogger, type Logger } from '@llmops/observability';
import type { ForwarderConfig } from './config/forwarder-config';
import { ForwarderModule } from './forwarder/forwarder.module';

/** Starts the siem-forwarder; `close()` on the result drains and disconnects every sink. */
export async function startSiemForwarder(
  config: ForwarderConfig,
  logger?: Logger,
): Promise<INestApplicationContext> {
  const log =
    logger ??
    createLogger('siem-forwarder', { level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  const app = await NestFactory.createApplicationContext(ForwarderModule.register(config, log), {
    logger: new PinoNestLogger(log.child({ component: 'nest' })),
    abortOnError: false,
  });
  await app.init();
  return app;
}
