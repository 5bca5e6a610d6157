/**
 * Topic names of the platform (ARCHITECTURE.md, "Topics"), optionally under
 * a prefix so that several deployments (or test runs) can share a cluster.
 */
export function topicNames(prefix = '') {
  return {
    invocations: `${prefix}llmops.invocations.v1`,
    invocationsRedacted: `${prefix}llmops.invocations.redacted.v1`,
    piiFindings: `${prefix}llmops.pii-findings.v1`,
    /** One record per guardrail decision (gateway: enforce; guardrail-monitor: detect), keyed by `<tenant>/<event id>`. */
    guardrailFindings: `${prefix}llmops.guardrail-findings.v1`,
    budgetEvents: `${prefix}llmops.budget-events.v1`,
    securityEvents: `${prefix}llmops.security-events.v1`,
    siemOcsf: `${prefix}llmops.siem.ocsf.v1`,
    siemCef: `${prefix}llmops.siem.cef.v1`,
    siemEcs: `${prefix}llmops.siem.ecs.v1`,
    controlApiKeys: `${prefix}llmops.control.api-keys.v1`,
    controlBudgets: `${prefix}llmops.control.budgets.v1`,
    /** The gateway's upstreams and routes (deployment-wide), keyed by `upstream/<name>` or `route/<model>`. */
    controlGatewayRoutes: `${prefix}llmops.control.gateway-routes.v1`,
    /** The gateway's guardrail rules, keyed by `<tenant>/<rule id>` (tenant `*`: deployment-wide). */
    controlGuardrailRules: `${prefix}llmops.control.guardrail-rules.v1`,
    /** Which dead letters `llmops dlq replay` sent back, keyed by `<dlq-topic>/<partition>/<offset>`. */
    controlDlqReplays: `${prefix}llmops.control.dlq-replays.v1`,
  };
}

export type TopicNames = ReturnType<typeof topicNames>;

/** The default topic names (no prefix). */
export const Topics: TopicNames = topicNames();

/** The dead-letter topic of a topic. */
export function dlqTopic(topic: string): string {
  return `${topic}.dlq`;
}

/** Message key of invocation records: tenant + trace, so a trace stays in order on one partition. */
export function invocationKey(tenantId: string, traceId: string): string {
  return `${tenantId}/${traceId}`;
}
