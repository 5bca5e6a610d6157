import { GuardrailEngine, type GuardrailEngineOptions, type Rule } from '@llmops/guardrails';
import type { Logger } from '@llmops/observability';
import type { LiveRule, RuleOwner } from './guardrail-rule-store';

/** What the engines are built from: the store's live rules. */
export interface GuardrailRuleProvider {
  rules(owner: RuleOwner): LiveRule[];
  tenants(): Set<string>;
}

/**
 * The compiled guardrail engines the gateway evaluates: one per tenant with rules of its own
 * (the deployment-wide rules first, then the tenant's), and one of the deployment-wide rules
 * alone for every other tenant. A change compiles the engines it affects once (a tenant's rule:
 * that tenant's; a deployment-wide rule: all of them) and swaps them in whole; a call keeps
 * the engine it began with (GuardrailHook). Rule ids are unique across a tenant's engine (the
 * admin API refuses a clash); should two replicas race one in, the deployment-wide rule is
 * kept and the tenant's is left out, logged.
 */
export class GuardrailEngines {
  private deployment: GuardrailEngine | undefined;
  private byTenant: ReadonlyMap<string, GuardrailEngine> = new Map();

  /** `options`: what every engine is built with (as `new GuardrailEngine` takes them). */
  constructor(
    private readonly source: GuardrailRuleProvider,
    private readonly log: Logger,
    private readonly options: GuardrailEngineOptions = {},
  ) {}

  /** The engine for a call of `tenant`; undefined when no rule applies to it. */
  engineFor(tenant: string): GuardrailEngine | undefined {
    return this.byTenant.get(tenant) ?? this.deployment;
  }

  /** Compiles the engines `owner`'s change affects (undefined: all, as at start). */
  rebuild(owner?: RuleOwner): void {
    const common = this.source.rules(null).map((r) => r.rule);
    if (owner === undefined || owner === null) {
      this.deployment = this.build(common, '(deployment)', this.deployment);
      const next = new Map<string, GuardrailEngine>();
      for (const tenant of this.source.tenants()) {
        const engine = this.forTenant(common, tenant);
        if (engine) next.set(tenant, engine);
      }
      this.byTenant = next;
      return;
    }
    const next = new Map(this.byTenant);
    const engine = this.forTenant(common, owner);
    if (engine) next.set(owner, engine);
    else next.delete(owner);
    this.byTenant = next;
  }

  private forTenant(common: Rule[], tenant: string): GuardrailEngine | undefined {
    const own = this.source.rules(tenant).map((r) => r.rule);
    if (own.length === 0) return undefined;
    const ids = new Set(common.map((r) => r.id));
    const clash = own.filter((r) => ids.has(r.id));
    if (clash.length > 0)
      this.log.error(
        { tenant, rules: clash.map((r) => r.id) },
        "tenant's guardrail rules left out: deployment-wide rules have their ids",
      );
    return this.build(
      [...common, ...own.filter((r) => !ids.has(r.id))],
      tenant,
      this.byTenant.get(tenant),
    );
  }

  /**
   * Each rule compiled alone when it was read, so this cannot fail but for a bug: then the
   * engine the calls had stays (its rules are what was enforced so far), and the log says so.
   */
  private build(
    rules: Rule[],
    tenant: string,
    previous: GuardrailEngine | undefined,
  ): GuardrailEngine | undefined {
    if (rules.length === 0) return undefined;
    try {
      return new GuardrailEngine(rules, this.options);
    } catch (err) {
      this.log.error(
        { tenant, err },
        'guardrail rules not compiled; the previous ones still apply',
      );
      return previous;
    }
  }
}
