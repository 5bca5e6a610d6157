import type { LiveRule } from '@llmops/control-plane';

/**
 * What the admin API answers for a rule: the rule as a rules file lists it (defaults filled
 * in, its `revision` the current one), whose it is (`tenant`, null for a deployment-wide rule),
 * and who changed it last, when.
 */
export function ruleView(e: LiveRule) {
  const by = e.record.changed_by;
  return {
    ...e.rule,
    tenant: e.record.tenant_id,
    changed_at: new Date(e.record.changed_at_ms).toISOString(),
    changed_by: { source: by.source, key_id: by.key_id, tenant_id: by.tenant_id, file: by.file },
  };
}

export type RuleView = ReturnType<typeof ruleView>;
