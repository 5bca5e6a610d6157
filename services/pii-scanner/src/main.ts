import { ConfigError } from '@llmops/config';
import { createLogger, exitCleanlyOnSignals } from '@llmops/observability';
import { startPiiScanner } from './bootstrap';
import { loadScannerConfig } from './config/scanner-config';

Promise.resolve()
  .then(async () => {
    const config = loadScannerConfig();
    const logger = createLogger('pii-scanner', {
      level: config.LOG_LEVEL,
      format: config.LOG_FORMAT,
    });
    const app = await startPiiScanner(config, logger);
    exitCleanlyOnSignals(() => app.close(), logger);
    logger.info('pii-scanner consuming');
  })
  .catch((err: unknown) => {
    process.stderr.write(
      err instanceof ConfigError
        ? `${err.message}\n`
        : `pii-scanner failed to start: ${(err as Error).stack ?? String(err)}\n`,
    );
    process.exit(1);
  });
