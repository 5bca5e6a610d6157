import { runConsumerService } from '@llmops/consumer-host';
import { loadMonitorConfig } from './config/monitor-config';
import { guardrailMonitor } from './service';

runConsumerService(guardrailMonitor, () => loadMonitorConfig());
