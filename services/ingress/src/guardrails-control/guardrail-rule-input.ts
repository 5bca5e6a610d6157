import {
  GuardrailConfigError,
  GuardrailEngine,
  loadRules,
  type GuardrailEngineOptions,
  type Rule,
} from '@llmops/guardrails';
import type { ApiErrorDetail } from '../http/api-error';
import type { RuleOwner } from '@llmops/control-plane';

export type ParsedRule = { ok: true; rule: Rule } | { ok: false; problems: ApiErrorDetail[] };

/**
 * A rule from an admin API body (the rule as a rules file lists it, `id` from the path): what
 * belongs to the store is refused up front (`revision`, a `scope.tenant` other than the
 * owner's), then the rule is checked by the guardrails library exactly as a rules file is
 * (its zod schema, then compiled: ReDoS analysis, JSON Schemas, check against stage and
 * action), every problem reported with its path in the rule (`check.pattern`). The rule comes
 * back with defaults filled in and `scope.tenant` set to the owner (left out for a
 * deployment-wide rule).
 */
export function parseRuleBody(
  id: string,
  owner: RuleOwner,
  body: Record<string, unknown>,
  options?: GuardrailEngineOptions,
): ParsedRule {
  const problems: ApiErrorDetail[] = [];
  if (body.id !== undefined && body.id !== id)
    problems.push({ path: 'id', message: 'must be the id in the path, or left out' });
  if (body.revision !== undefined)
    problems.push({
      path: 'revision',
      message:
        'is assigned by the gateway (the last one + 1); leave it out, and send If-Match: <revision> to change only that revision',
    });
  const scope = body.scope;
  const scoped = typeof scope === 'object' && scope !== null && !Array.isArray(scope);
  const tenant = scoped ? (scope as Record<string, unknown>).tenant : undefined;
  if (tenant !== undefined && tenant !== owner)
    problems.push({
      path: 'scope.tenant',
      message:
        owner === null
          ? 'must be left out: a deployment-wide rule applies to every tenant (a rule of one tenant is added with an admin key of that tenant)'
          : `must be ${owner}, the tenant of the admin key, or left out`,
    });
  if (problems.length > 0) return { ok: false, problems };
  const candidate = {
    ...body,
    id,
    scope: scoped || scope === undefined ? withTenant(scope, owner) : scope,
  };
  try {
    const rule = loadRules({ rules: [candidate] }, 'body')[0]!;
    // As the gateway's engines will compile it (a webhook's secret must be on this process).
    if (options) new GuardrailEngine([rule], options);
    return { ok: true, rule };
  } catch (err) {
    if (!(err instanceof GuardrailConfigError)) throw err;
    return { ok: false, problems: err.problems.flatMap(details) };
  }
}

function withTenant(scope: unknown, owner: RuleOwner): Record<string, unknown> {
  const { tenant: _forced, ...rest } = (scope ?? {}) as Record<string, unknown>;
  return owner === null ? rest : { ...rest, tenant: owner };
}

/**
 * `rules[0].check.pattern: is not …` → `{ path: 'check.pattern', message: 'is not …' }`; an
 * unknown field is named in the path (`check.patern`), as the gateway's other entries do.
 */
function details(problem: string): ApiErrorDetail[] {
  const m = /^rules\[0\]\.?(\S*): ([\s\S]*)$/.exec(problem);
  if (!m) return [{ path: '(rule)', message: problem }];
  const [, at = '', message = ''] = m;
  const unknown = /^unknown fields? ((?:"[^"]*"(?:, )?)+)$/.exec(message);
  if (unknown)
    return (JSON.parse(`[${unknown[1]}]`) as string[]).map((field) => ({
      path: at ? `${at}.${field}` : field,
      message: 'is not a known field (misspelt?)',
    }));
  return [{ path: at || '(rule)', message }];
}

/**
 * The revision a change must be made on, from `If-Match` (`3` or `"3"`, as an ETag) or the
 * `expected_revision` query parameter; 0 means the rule must not exist. Undefined when
 * neither is given; a problem when one is malformed or the two disagree.
 */
export function expectedRevision(
  ifMatch: string | undefined,
  query: string | undefined,
): number | undefined | { problem: ApiErrorDetail } {
  const fromHeader = ifMatch === undefined ? undefined : /^(?:W\/)?"?(\d{1,10})"?$/.exec(ifMatch);
  if (ifMatch !== undefined && !fromHeader)
    return { problem: { path: 'If-Match', message: 'must be a revision number, e.g. "3"' } };
  if (query !== undefined && !/^\d{1,10}$/.test(query))
    return { problem: { path: 'expected_revision', message: 'must be a revision number' } };
  const a = fromHeader ? Number(fromHeader[1]) : undefined;
  const b = query !== undefined ? Number(query) : undefined;
  if (a !== undefined && b !== undefined && a !== b)
    return { problem: { path: 'expected_revision', message: 'disagrees with If-Match' } };
  return a ?? b;
}
