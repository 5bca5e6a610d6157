import { runService } from '@llmops/observability';
import { startSiemForwarder } from './bootstrap';
import { loadForwarderConfig } from './config/forwarder-config';

// The module logs "siem-forwarder consuming" once every sink's consumer runs.
runService({
  name: 'siem-forwarder',
  loadConfig: () => loadForwarderConfig(),
  start: startSiemForwarder,
});
