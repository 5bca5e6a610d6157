import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { ConsumerServiceConfig } from '@llmops/config';
import { PinoNestLogger, createLogger, runService, type Logger } from '@llmops/observability';
import { ConsumerHostModule } from './consumer-host.module';
import type { ConsumerServiceDefinition } from './consumer-service';

/**
 * Starts a consumer service in this process: metrics endpoint, resources,
 * then consumers. Resolves once every consumer runs; `close()` on the result
 * stops consuming (each consumer finishes its batch and commits), closes the
 * resources in reverse order and stops the metrics endpoint.
 */
export async function startConsumerService<C extends ConsumerServiceConfig>(
  definition: ConsumerServiceDefinition<C>,
  config: C,
  logger?: Logger,
): Promise<INestApplicationContext> {
  const log =
    logger ?? createLogger(definition.name, { level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  // Resolves after the lifecycle hooks ran; a failed start rejects with the host's error.
  return NestFactory.createApplicationContext(
    ConsumerHostModule.register(definition, config, log),
    { logger: new PinoNestLogger(log.child({ component: 'nest' })), abortOnError: false },
  );
}

/** A consumer service's `main.ts`: configuration, logger, start, and a clean exit on SIGTERM. */
export function runConsumerService<C extends ConsumerServiceConfig>(
  definition: ConsumerServiceDefinition<C>,
  loadConfig: () => C,
): void {
  runService({
    name: definition.name,
    loadConfig,
    start: (config, logger) => startConsumerService(definition, config, logger),
  });
}
