import type { INestApplicationContext } from '@nestjs/common';
import {
  connection,
  consumer,
  defineConsumerService,
  resource,
  startConsumerService,
} from '@llmops/consumer-host';
import { invocationCodec } from '@llmops/contracts';
import { EventPublisher } from '@llmops/kafka';
import type { Logger } from '@llmops/observability';
import type { MonitorConfig } from './config/monitor-config';
import { InvocationMonitor } from './findings/invocation-monitor';
import { monitorBatch } from './findings/monitor-batch';
import { ControlPlaneRuleSource } from './rules/rule-source';

/**
 * Raw invocations in; guardrail findings (every decision, for ClickHouse) and security events
 * (what the SOC must hear of) out. A call the gateway proxied carries the decisions the gateway
 * enforced: they are taken as they are. A call reported after the fact (event API, OTLP) is
 * evaluated with the same rules (the control plane's, tenant by tenant) in detect mode. Reads the raw topic, like the pii-scanner: the rules
 * must see the text the model saw, and the findings never carry it.
 */
export const guardrailMonitor = defineConsumerService<MonitorConfig>({
  name: 'guardrail-monitor',
  build: ({ config, kafka, logger, topics, registry }) => {
    const publisher = new EventPublisher(kafka, logger);
    const rules = new ControlPlaneRuleSource(kafka, logger, topics.controlGuardrailRules, {
      webhooks: { secrets: config.GUARDRAIL_SECRETS },
    });
    const monitor = new InvocationMonitor(rules, config.GUARDRAIL_MONITOR_MIN_SEVERITY);
    return {
      // The rules first: no record is judged before they are read.
      resources: [
        resource(
          'guardrail rules',
          () => rules.open(),
          () => rules.close(),
        ),
        connection('kafka publisher', publisher),
      ],
      consumers: [
        consumer({
          topic: topics.invocations,
          groupId: config.GUARDRAIL_MONITOR_GROUP_ID,
          decode: invocationCodec,
          handle: monitorBatch(monitor, publisher, topics, registry),
        }),
      ],
    };
  },
});

/** Starts the guardrail-monitor; `close()` on the result drains and disconnects. */
export function startGuardrailMonitor(
  config: MonitorConfig,
  logger?: Logger,
): Promise<INestApplicationContext> {
  return startConsumerService(guardrailMonitor, config, logger);
}
