import { ConfigError } from '@llmops/config';
import { createLogger, exitCleanlyOnSignals } from '@llmops/observability';
import { startIngress } from './bootstrap';
import { loadIngressConfig } from './config/ingress-config';

Promise.resolve()
  .then(async () => {
    const config = loadIngressConfig();
    const logger = createLogger('ingress', { level: config.LOG_LEVEL, format: config.LOG_FORMAT });
    const app = await startIngress(config, logger);
    exitCleanlyOnSignals(() => app.close(), logger);
    logger.info({ url: await app.getUrl() }, 'ingress listening');
  })
  .catch((err: unknown) => {
    process.stderr.write(
      err instanceof ConfigError
        ? `${err.message}\n`
        : `ingress failed to start: ${(err as Error).stack ?? String(err)}\n`,
    );
    process.exit(1);
  });
