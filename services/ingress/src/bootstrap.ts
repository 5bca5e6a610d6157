import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { PinoNestLogger, createLogger, type Logger } from '@llmops/observability';
import { AppModule } from './app.module';
import type { IngressConfig } from './config/ingress-config';
import { ApiExceptionFilter } from './http/api-exception.filter';
import { installJsonBodyParser } from './http/json-body';

/** Builds and starts the ingress; the caller owns shutdown (`app.close()`). */
export async function startIngress(
  config: IngressConfig,
  logger?: Logger,
): Promise<NestFastifyApplication> {
  const log =
    logger ?? createLogger('ingress', { level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  const adapter = new FastifyAdapter({ bodyLimit: config.INGRESS_MAX_BODY_BYTES, logger: false });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(config, log),
    adapter,
    {
      logger: new PinoNestLogger(log.child({ component: 'nest' })),
      abortOnError: false,
      // Our parser (installJsonBodyParser) replaces Nest's: depth limit and precise errors.
      bodyParser: false,
    },
  );
  installJsonBodyParser(app.getHttpAdapter().getInstance(), config.INGRESS_MAX_JSON_DEPTH);
  app.useGlobalFilters(new ApiExceptionFilter(log, config.INGRESS_MAX_BODY_BYTES));
  await app.listen(config.INGRESS_PORT, config.INGRESS_HOST);
  return app;
}
