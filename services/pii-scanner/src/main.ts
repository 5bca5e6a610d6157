import { runService } from '@llmops/observability';
import { startPiiScanner } from './bootstrap';
import { loadScannerConfig } from './config/scanner-config';

runService({
  name: 'pii-scanner',
  loadConfig: () => loadScannerConfig(),
  start: startPiiScanner,
  started: (_app, logger) => logger.info('pii-scanner consuming'),
});
