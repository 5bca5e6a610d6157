import type { INestApplicationContext } from '@nestjs/common';
import {
  connection,
  consumer,
  defineConsumerService,
  startConsumerService,
} from '@llmops/consumer-host';
import { invocationCodec } from '@llmops/contracts';
import { EventPublisher } from '@llmops/kafka';
import type { Logger } from '@llmops/observability';
import type { ScannerConfig } from './config/scanner-config';
import { InvocationScanner } from './scanner/invocation-scanner';
import { scanBatch } from './scanner/scan-batch';

/** Raw invocations in; redacted copies, PII findings and exposure events out. */
export const piiScanner = defineConsumerService<ScannerConfig>({
  name: 'pii-scanner',
  build: ({ config, kafka, logger, topics }) => {
    const publisher = new EventPublisher(kafka, logger);
    const scanner = new InvocationScanner(
      config.PII_HMAC_KEY,
      config.PII_MIN_SCORE,
      config.PII_POLICIES,
    );
    return {
      resources: [connection('kafka publisher', publisher)],
      consumers: [
        consumer({
          topic: topics.invocations,
          groupId: config.PII_SCANNER_GROUP_ID,
          decode: invocationCodec,
          handle: scanBatch(scanner, publisher, topics),
        }),
      ],
    };
  },
});

/** Starts the pii-scanner; `close()` on the result drains and disconnects. */
export function startPiiScanner(
  config: ScannerConfig,
  logger?: Logger,
): Promise<INestApplicationContext> {
  return startConsumerService(piiScanner, config, logger);
}
