import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { runService } from '@llmops/observability';
import { startIngress } from './bootstrap';
import { loadIngressConfig } from './config/ingress-config';

runService({
  name: 'ingress',
  loadConfig: () => loadIngressConfig(),
  start: startIngress,
  started: async (app, logger) =>
    logger.info({ url: await (app as NestFastifyApplication).getUrl() }, 'ingress listening'),
});
