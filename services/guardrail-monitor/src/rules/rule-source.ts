import type { Kafka } from 'kafkajs';
import { GuardrailEngines, GuardrailRuleStore, requireControlTopic } from '@llmops/control-plane';
import { GuardrailEngine, type GuardrailEngineOptions, type Rule } from '@llmops/guardrails';
import type { Logger } from '@llmops/observability';

/**
 * Where the monitor gets the rules in force for a tenant's calls: asked once per invocation it
 * evaluates, so a source that follows changes hands out a new engine as soon as the rules
 * change, and the next record is judged by it. Undefined: no rule applies (a reported call is
 * then not evaluated; the gateway's own decisions still become findings).
 *
 * The monitor stamps its decisions `mode: 'detect'` whatever the engine's mode.
 */
export interface RuleSource {
  engineFor(tenant: string): GuardrailEngine | undefined;
}

/** A fixed rule set for every tenant (tests): one engine, compiled once; none for an empty list. */
export function staticRuleSource(
  rules: readonly Rule[],
  options: GuardrailEngineOptions = {},
): RuleSource {
  const engine =
    rules.length > 0 ? new GuardrailEngine(rules, { mode: 'detect', ...options }) : undefined;
  return { engineFor: () => engine };
}

/**
 * The gateway's rules, from the control plane (`llmops.control.guardrail-rules.v1`): the same
 * rule set, tenant by tenant, that the gateway enforces on the calls it proxies, followed live.
 * `open` reads the topic to its end, before the monitor consumes anything, so no record is
 * judged before its rules are known.
 */
export class ControlPlaneRuleSource implements RuleSource {
  private readonly store: GuardrailRuleStore;
  private readonly engines: GuardrailEngines;

  constructor(
    private readonly kafka: Kafka,
    logger: Logger,
    private readonly topic: string,
    options: GuardrailEngineOptions,
  ) {
    const log = logger.child({ component: 'guardrail-rules' });
    this.store = new GuardrailRuleStore(kafka, log, topic);
    this.engines = new GuardrailEngines(this.store, log, { ...options, mode: 'detect' });
  }

  async open(): Promise<void> {
    await requireControlTopic(this.kafka, this.topic, 'the guardrail rules');
    await this.store.start();
    this.engines.rebuild();
    this.store.onChange((owner) => this.engines.rebuild(owner));
  }

  close(): Promise<void> {
    return this.store.stop();
  }

  engineFor(tenant: string): GuardrailEngine | undefined {
    return this.engines.engineFor(tenant);
  }
}
