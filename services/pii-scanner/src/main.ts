import { runConsumerService } from '@llmops/consumer-host';
import { loadScannerConfig } from './config/scanner-config';
import { piiScanner } from './service';

runConsumerService(piiScanner, () => loadScannerConfig());
