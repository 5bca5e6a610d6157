import { runConsumerService } from '@llmops/consumer-host';
import { loadAccountantConfig } from './config/accountant-config';
import { tokenAccountant } from './service';

runConsumerService(tokenAccountant, () => loadAccountantConfig());
