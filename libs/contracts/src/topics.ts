/** Topic names of the platform (ARCHITECTURE.md, "Topics"). */
export const Topics = {
  invocations: 'llmops.invocations.v1',
  invocationsRedacted: 'llmops.invocations.redacted.v1',
  piiFindings: 'llmops.pii-findings.v1',
  budgetEvents: 'llmops.budget-events.v1',
  securityEvents: 'llmops.security-events.v1',
  siemOcsf: 'llmops.siem.ocsf.v1',
  controlApiKeys: 'llmops.control.api-keys.v1',
} as const;

export type TopicName = (typeof Topics)[keyof typeof Topics];

/** The dead-letter topic of a topic. */
export function dlqTopic(topic: string): string {
  return `${topic}.dlq`;
}

/** Message key of invocation records: tenant + trace, so a trace stays in order on one partition. */
export function invocationKey(tenantId: string, traceId: string): string {
  return `${tenantId}/${traceId}`;
}
