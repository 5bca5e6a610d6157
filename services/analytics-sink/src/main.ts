import { runService } from '@llmops/observability';
import { startAnalyticsSink } from './bootstrap';
import { loadSinkConfig } from './config/sink-config';

runService({
  name: 'analytics-sink',
  loadConfig: () => loadSinkConfig(),
  start: startAnalyticsSink,
  started: (_app, logger) => logger.info('analytics-sink consuming'),
});
