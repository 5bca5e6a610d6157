import type { z } from 'zod';
import type { CompiledCheck } from './checks/check';
import { compileCheck } from './checks/compile-check';
import type { WebhookOptions } from './checks/webhook';
import { GuardrailConfigError } from './errors';
import { rulesFileSchema, type Rule } from './rule-schema';
import { compileScope, type ScopeTest } from './scope';

/** A rule ready to evaluate: its check and scope compiled. */
export interface CompiledRule {
  readonly rule: Rule;
  readonly check: CompiledCheck;
  readonly inScope: ScopeTest;
}

/**
 * Validates a rules document (`{ rules: [...] }`) and compiles every rule, collecting every
 * problem before it throws, so one load reports them all. Used by `loadRules` and again by the
 * engine, which accepts rules from code too; the costly parts (ReDoS analysis, schema
 * compilation) are cached per process, so the second pass is cheap.
 */
export function compileRules(
  document: unknown,
  source: string,
  webhooks?: WebhookOptions,
): { rules: Rule[]; compiled: CompiledRule[] } {
  const parsed = rulesFileSchema.safeParse(document);
  if (!parsed.success) throw new GuardrailConfigError(source, parsed.error.issues.map(describe));
  const rules = parsed.data.rules;
  const problems: string[] = [];
  const compiled: CompiledRule[] = [];
  const seen = new Map<string, number>();
  rules.forEach((rule, i) => {
    const path = `rules[${i}]`;
    const first = seen.get(rule.id);
    if (first !== undefined) problems.push(`${path}.id: is also the id of rules[${first}]`);
    else seen.set(rule.id, i);
    const check = compileCheck(rule.check, {
      path: `${path}.check`,
      stage: rule.stage,
      problems,
      depth: 0,
      ...(webhooks ? { webhooks } : {}),
    });
    if (check === null) return;
    if (rule.action === 'redact' && !check.locates) {
      problems.push(
        `${path}.action: redact needs a check that locates what it finds ` +
          '(regex with must: not_match, phrases, urls, pii, code with must: absent, leakage, or all / any of those)',
      );
      return;
    }
    compiled.push({ rule, check, inScope: compileScope(rule.scope) });
  });
  if (problems.length > 0) throw new GuardrailConfigError(source, problems);
  return { rules, compiled };
}

/** `rules[2].check.pattern: is not a valid regular expression`. */
function describe(issue: z.core.$ZodIssue): string {
  const path = formatPath(issue.path);
  let message = issue.message.replace(/^Invalid input: /, '');
  if (issue.code === 'unrecognized_keys')
    message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
  message = message.charAt(0).toLowerCase() + message.slice(1);
  return `${path === '' ? '(document)' : path}: ${message}`;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$-]*$/.test(key))
      out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}
