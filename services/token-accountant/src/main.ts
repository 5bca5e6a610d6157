import { ConfigError } from '@llmops/config';
import { createLogger, exitCleanlyOnSignals } from '@llmops/observability';
import { startTokenAccountant } from './bootstrap';
import { loadAccountantConfig } from './config/accountant-config';

Promise.resolve()
  .then(async () => {
    const config = loadAccountantConfig();
    const logger = createLogger('token-accountant', {
      level: config.LOG_LEVEL,
      format: config.LOG_FORMAT,
    });
    const app = await startTokenAccountant(config, logger);
    exitCleanlyOnSignals(() => app.close(), logger);
    logger.info('token-accountant consuming');
  })
  .catch((err: unknown) => {
    process.stderr.write(
      err instanceof ConfigError
        ? `${err.message}\n`
        : `token-accountant failed to start: ${(err as Error).stack ?? String(err)}\n`,
    );
    process.exit(1);
  });
