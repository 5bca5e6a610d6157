import type { GuardrailRuleEntry } from '@llmops/contracts';
import { loadRules } from '@llmops/guardrails';
import { createLogger } from '@llmops/observability';
import { GuardrailEngines, type GuardrailRuleProvider } from './guardrail-engines';
import type { LiveRule, RuleOwner } from './guardrail-rule-store';

/**
 * Rules by owner, as the store holds them; each blocks the phrase that is its id, the
 * deployment-wide ones with severity critical, the tenants' with high.
 */
class Rules implements GuardrailRuleProvider {
  readonly byOwner = new Map<RuleOwner, LiveRule[]>();

  set(owner: RuleOwner, ...ids: string[]): void {
    this.byOwner.set(
      owner,
      ids.map((id) => {
        const [rule] = loadRules(
          {
            rules: [
              {
                id,
                stage: 'input',
                scope: owner === null ? {} : { tenant: owner },
                check: { type: 'phrases', phrases: [id] },
                action: 'block',
                severity: owner === null ? 'critical' : 'high',
              },
            ],
          },
          'test',
        );
        return { rule: rule!, json: '', record: { tenant_id: owner } as GuardrailRuleEntry };
      }),
    );
  }

  rules(owner: RuleOwner): LiveRule[] {
    return this.byOwner.get(owner) ?? [];
  }

  tenants(): Set<string> {
    return new Set([...this.byOwner.keys()].filter((o): o is string => o !== null));
  }
}

const logs: Array<Record<string, unknown>> = [];
const log = createLogger('test', { level: 'silent' });
log.error = (o: Record<string, unknown>) => void logs.push(o);

/** The ids of the rules that block `text` for a call of `tenant`. */
function blockers(engines: GuardrailEngines, tenant: string, text: string): string[] {
  const engine = engines.engineFor(tenant);
  if (!engine) return [];
  return engine
    .evaluate({ stage: 'input', text, context: { tenant } })
    .decisions.map((d) => d.rule_id);
}

describe('GuardrailEngines', () => {
  it('has no engine while there are no rules', () => {
    const engines = new GuardrailEngines(new Rules(), log);
    engines.rebuild();
    expect(engines.engineFor('acme')).toBeUndefined();
  });

  it("gives each tenant the deployment-wide rules and its own, never another tenant's", () => {
    const rules = new Rules();
    rules.set(null, 'everyone');
    rules.set('acme', 'acmeonly');
    const engines = new GuardrailEngines(rules, log);
    engines.rebuild();
    expect(blockers(engines, 'acme', 'everyone acmeonly')).toEqual(['everyone', 'acmeonly']);
    expect(blockers(engines, 'globex', 'everyone acmeonly')).toEqual(['everyone']);
  });

  it("compiles only the changed tenant's engine; a deployment-wide change compiles them all", () => {
    const rules = new Rules();
    rules.set('acme', 'a');
    rules.set('globex', 'g');
    const engines = new GuardrailEngines(rules, log);
    engines.rebuild();
    const [acme, globex] = [engines.engineFor('acme'), engines.engineFor('globex')];
    rules.set('acme', 'a', 'b');
    engines.rebuild('acme');
    expect(engines.engineFor('acme')).not.toBe(acme);
    expect(engines.engineFor('globex')).toBe(globex);
    rules.set(null, 'd');
    engines.rebuild(null);
    expect(engines.engineFor('globex')).not.toBe(globex);
    expect(blockers(engines, 'globex', 'd g')).toEqual(['d', 'g']);
    expect(blockers(engines, 'initech', 'd g')).toEqual(['d']);
  });

  it('leaves an engine handed out before a change as it was: a call keeps the rules it began with', () => {
    const rules = new Rules();
    rules.set('acme', 'x');
    const engines = new GuardrailEngines(rules, log);
    engines.rebuild();
    const before = engines.engineFor('acme')!;
    rules.set('acme');
    engines.rebuild('acme');
    expect(engines.engineFor('acme')).toBeUndefined();
    expect(
      before.evaluate({ stage: 'input', text: 'x', context: { tenant: 'acme' } }).blocked,
    ).toBe(true);
  });

  it("keeps the deployment-wide rule when a tenant's rule has its id, and logs the one left out", () => {
    const rules = new Rules();
    rules.set(null, 'same');
    rules.set('acme', 'same', 'other');
    const engines = new GuardrailEngines(rules, log);
    engines.rebuild();
    const engine = engines.engineFor('acme')!;
    const decisions = engine.evaluate({
      stage: 'input',
      text: 'same other',
      context: { tenant: 'acme' },
    }).decisions;
    expect(decisions.map((d) => [d.rule_id, d.severity])).toEqual([
      ['same', 'critical'],
      ['other', 'high'],
    ]);
    expect(logs).toContainEqual({ tenant: 'acme', rules: ['same'] });
  });
});
