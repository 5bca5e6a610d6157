import { ConfigError } from '@llmops/config';
import { startAnalyticsSink } from './bootstrap';
import { loadSinkConfig } from './config/sink-config';

Promise.resolve()
  .then(() => startAnalyticsSink(loadSinkConfig()))
  .catch((err: unknown) => {
    process.stderr.write(
      err instanceof ConfigError
        ? `${err.message}\n`
        : `analytics-sink failed to start: ${(err as Error).stack ?? String(err)}\n`,
    );
    process.exit(1);
  });
