import { runConsumerService } from '@llmops/consumer-host';
import { loadSinkConfig } from './config/sink-config';
import { analyticsSink } from './service';

runConsumerService(analyticsSink, () => loadSinkConfig());
