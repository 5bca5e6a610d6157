import { runConsumerService } from '@llmops/consumer-host';
import { loadForwarderConfig } from './config/forwarder-config';
import { siemForwarder } from './service';

runConsumerService(siemForwarder, () => loadForwarderConfig());
