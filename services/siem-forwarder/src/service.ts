import type { INestApplicationContext } from '@nestjs/common';
import {
  consumer,
  defineConsumerService,
  resource,
  startConsumerService,
} from '@llmops/consumer-host';
import { securityEventCodec } from '@llmops/contracts';
import type { Logger } from '@llmops/observability';
import type { ForwarderConfig } from './config/forwarder-config';
import { ensureSiemTopics } from './forwarder/siem-topics';
import { createSinks } from './forwarder/sinks';

/**
 * Security events to the SOC: one consumer group per configured sink (SIEM
 * topics, syslog, HEC) over the security-events topic, so a sink that is
 * down stalls only its own group. Each decodes and formats an event (poison
 * → DLQ at once), hands the batch to its sink, and commits only after the
 * sink took it.
 */
export const siemForwarder = defineConsumerService<ForwarderConfig>({
  name: 'siem-forwarder',
  build: ({ config, kafka, logger, topics }) => {
    const sinks = createSinks(config, kafka, logger);
    return {
      resources: [
        resource('SIEM topics', () => ensureSiemTopics(kafka, topics, config, logger)),
        ...sinks.map((sink) =>
          resource(
            `${sink.name} sink`,
            () => sink.start?.() ?? Promise.resolve(),
            () => sink.stop?.() ?? Promise.resolve(),
          ),
        ),
      ],
      consumers: sinks.map((sink) =>
        consumer({
          topic: topics.securityEvents,
          groupId: sink.groupId,
          decode: (message) =>
            sink.prepare(securityEventCodec.decode(message.value ?? Buffer.alloc(0)), message),
          handle: (records) => sink.deliver(records),
          logger: logger.child({ sink: sink.name }),
        }),
      ),
    };
  },
});

/** Starts the siem-forwarder; `close()` on the result drains and disconnects every sink. */
export function startSiemForwarder(
  config: ForwarderConfig,
  logger?: Logger,
): Promise<INestApplicationContext> {
  return startConsumerService(siemForwarder, config, logger);
}
