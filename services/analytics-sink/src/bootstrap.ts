import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { PinoNestLogger, createLogger, type Logger } from '@llmops/observability';
import type { SinkConfig } from './config/sink-config';
import { SinkModule } from './sink/sink.module';

/** Starts the analytics sink; `close()` on the result drains and disconnects. */
export async function startAnalyticsSink(
  config: SinkConfig,
  logger?: Logger,
): Promise<INestApplicationContext> {
  const log =
    logger ??
    createLogger('analytics-sink', { level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  const app = await NestFactory.createApplicationContext(SinkModule.register(config, log), {
    logger: new PinoNestLogger(log.child({ component: 'nest' })),
    abortOnError: false,
  });
  await app.init();
  return app;
}
