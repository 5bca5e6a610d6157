import type { GuardrailContext } from './item';
import type { RuleScope } from './rule-schema';

/**
 * A rule's scope as a predicate on the call's context. Every field given must match; a field
 * the scope names but the context lacks (an `agents` scope, a call without an agent) does not
 * match. `models` entries ending in `*` are prefixes. A context without `endpoint_kind` is
 * `external`, the invocation record's default.
 */
export type ScopeTest = (context: GuardrailContext) => boolean;

export function compileScope(scope: RuleScope): ScopeTest {
  const tests: ScopeTest[] = [];
  const { tenant, endpoint_kind } = scope;
  if (tenant !== undefined) tests.push((c) => c.tenant === tenant);
  if (scope.apps) tests.push(member(new Set(scope.apps), (c) => c.app_id));
  if (scope.agents) tests.push(member(new Set(scope.agents), (c) => c.agent_id));
  if (scope.models) tests.push(models(scope.models));
  if (endpoint_kind !== undefined)
    tests.push((c) => (c.endpoint_kind ?? 'external') === endpoint_kind);
  return (context) => tests.every((t) => t(context));
}

function member(set: Set<string>, of: (c: GuardrailContext) => string | undefined): ScopeTest {
  return (c) => {
    const value = of(c);
    return value !== undefined && set.has(value);
  };
}

function models(patterns: string[]): ScopeTest {
  const exact = new Set(patterns.filter((m) => !m.endsWith('*')));
  const prefixes = patterns.filter((m) => m.endsWith('*')).map((m) => m.slice(0, -1));
  return ({ model }) =>
    model !== undefined && (exact.has(model) || prefixes.some((p) => model.startsWith(p)));
}
