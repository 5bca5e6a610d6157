import { runService } from '@llmops/observability';
import { startTokenAccountant } from './bootstrap';
import { loadAccountantConfig } from './config/accountant-config';

runService({
  name: 'token-accountant',
  loadConfig: () => loadAccountantConfig(),
  start: startTokenAccountant,
  started: (_app, logger) => logger.info('token-accountant consuming'),
});
