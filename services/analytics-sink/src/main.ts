import { ConfigError } from '@llmops/config';
import { createLogger, exitCleanlyOnSignals } from '@llmops/observability';
import { startAnalyticsSink } from './bootstrap';
import { loadSinkConfig } from './config/sink-config';

Promise.resolve()
  .then(async () => {
    const config = loadSinkConfig();
    const logger = createLogger('analytics-sink', {
      level: config.LOG_LEVEL,
      format: config.LOG_FORMAT,
    });
    const app = await startAnalyticsSink(config, logger);
    exitCleanlyOnSignals(() => app.close(), logger);
    logger.info('analytics-sink consuming');
  })
  .catch((err: unknown) => {
    process.stderr.write(
      err instanceof ConfigError
        ? `${err.message}\n`
        : `analytics-sink failed to start: ${(err as Error).stack ?? String(err)}\n`,
    );
    process.exit(1);
  });
