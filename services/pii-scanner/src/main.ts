import { ConfigError } from '@llmops/config';
import { startPiiScanner } from './bootstrap';
import { loadScannerConfig } from './config/scanner-config';

Promise.resolve()
  .then(() => startPiiScanner(loadScannerConfig()))
  .catch((err: unknown) => {
    process.stderr.write(
      err instanceof ConfigError
        ? `${err.message}\n`
        : `pii-scanner failed to start: ${(err as Error).stack ?? String(err)}\n`,
    );
    process.exit(1);
  });
