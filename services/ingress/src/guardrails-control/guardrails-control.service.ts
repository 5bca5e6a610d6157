import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { ConfigService } from '@llmops/config';
import { topicNames, type ApiKey, type GuardrailRuleAuthor } from '@llmops/contracts';
import { requireControlTopic } from '@llmops/control-plane';
import type { GuardrailEngine, GuardrailEngineOptions } from '@llmops/guardrails';
import type { Logger } from '@llmops/observability';
import type { IngressConfig } from '../config/ingress-config';
import { ApiError } from '../http/api-error';
import { KAFKA, LOGGER } from '../infra/tokens';
import { GuardrailEngines } from '@llmops/control-plane';
import { parseRuleBody } from './guardrail-rule-input';
import { GuardrailRuleStore, type RuleOwner } from '@llmops/control-plane';
import { ruleView } from './guardrail-rule-view';

/**
 * The gateway's guardrail rules as control-plane state, on their compacted topic: each belongs
 * to a tenant (its `scope.tenant`, forced) and is managed by that tenant's admin keys only;
 * deployment-wide rules (no tenant: every tenant's calls) by the admin keys of
 * GATEWAY_ADMIN_TENANTS (every admin key when it is unset, as for upstreams and routes).
 * GATEWAY_GUARDRAILS_FILE's rules are applied at start. Every replica follows the topic live
 * and compiles the engines a change affects once (GuardrailEngines); the gateway's guardrail
 * hook asks `engineFor` at the start of each attempt.
 */
@Injectable()
export class GuardrailsControlService implements OnModuleInit, OnModuleDestroy {
  readonly store: GuardrailRuleStore;
  private readonly engines: GuardrailEngines;
  /** What every engine is built with: how webhook rules find their HMAC keys. */
  readonly engineOptions: GuardrailEngineOptions;
  private readonly topic: string;
  private readonly log: Logger;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly config: ConfigService<IngressConfig>,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.topic = topicNames(config.get('TOPIC_PREFIX')).controlGuardrailRules;
    this.store = new GuardrailRuleStore(kafka, logger, this.topic);
    this.log = logger.child({ component: 'guardrail-rules' });
    this.engineOptions = { webhooks: { secrets: config.get('GUARDRAIL_SECRETS') } };
    this.engines = new GuardrailEngines(this.store, this.log, this.engineOptions);
  }

  async onModuleInit() {
    await requireControlTopic(this.kafka, this.topic, "the gateway's guardrail rules");
    await this.store.start();
    this.engines.rebuild();
    this.store.onChange((owner) => this.engines.rebuild(owner));
    await this.applyFile();
  }

  onModuleDestroy() {
    return this.store.stop();
  }

  /** The engine for a call of `tenant` (its rules and the deployment-wide ones), if any. */
  engineFor(tenant: string): GuardrailEngine | undefined {
    return this.engines.engineFor(tenant);
  }

  /**
   * Whose rules a request manages: the key's tenant's, or with `scope=deployment` the
   * deployment-wide ones, which only GATEWAY_ADMIN_TENANTS's admin keys may see or change.
   */
  ownerFor(key: ApiKey, scope: string | undefined): RuleOwner {
    if (scope === undefined || scope === 'tenant') return key.tenant_id;
    if (scope !== 'deployment')
      throw new ApiError(400, 'invalid_scope', 'scope must be tenant (the default) or deployment', [
        { path: 'scope', message: 'must be tenant or deployment' },
      ]);
    const tenants = this.config.get('GATEWAY_ADMIN_TENANTS');
    if (tenants && !tenants.includes(key.tenant_id))
      throw new ApiError(
        403,
        'not_gateway_admin',
        `deployment-wide guardrail rules apply to every tenant: only admin keys of ${tenants.join(', ')} may see or change them (GATEWAY_ADMIN_TENANTS); leave scope out to manage the rules of tenant ${key.tenant_id}`,
      );
    return null;
  }

  list(owner: RuleOwner) {
    return { rules: this.store.rules(owner).map(ruleView) };
  }

  get(owner: RuleOwner, id: string) {
    return ruleView(this.store.get(owner, id) ?? notFound(owner, id));
  }

  /** Creates or replaces a rule; `expected`: the revision it must be at (0: absent), else 409. */
  async put(
    owner: RuleOwner,
    id: string,
    body: Record<string, unknown>,
    key: ApiKey,
    expected?: number,
  ) {
    const parsed = parseRuleBody(id, owner, body, this.engineOptions);
    if (!parsed.ok)
      throw new ApiError(
        400,
        'invalid_rule',
        `guardrail rule '${id}' is not valid: ${parsed.problems.map((p) => `${p.path} ${p.message}`).join('; ')}`,
        parsed.problems,
      );
    this.checkRevision(owner, id, expected);
    this.checkIdFree(owner, id);
    const { entry, created, changed } = await this.store.put(owner, parsed.rule, byKey(key));
    if (changed)
      this.log.info(
        { tenant: owner, rule: id, revision: entry.record.revision, keyId: key.key_id },
        `guardrail rule ${created ? 'added' : 'changed'}`,
      );
    return { view: ruleView(entry), created };
  }

  async remove(owner: RuleOwner, id: string, key: ApiKey, expected?: number) {
    if (!this.store.get(owner, id)) notFound(owner, id);
    this.checkRevision(owner, id, expected);
    const removed = await this.store.remove(owner, id, byKey(key));
    this.log.info(
      { tenant: owner, rule: id, revision: removed?.revision, keyId: key.key_id },
      'guardrail rule removed',
    );
  }

  private checkRevision(owner: RuleOwner, id: string, expected: number | undefined): void {
    if (expected === undefined) return;
    const current = this.store.get(owner, id)?.record.revision ?? 0;
    if (current !== expected)
      throw new ApiError(
        409,
        'revision_mismatch',
        current === 0
          ? `guardrail rule '${id}' does not exist, not at revision ${expected}`
          : `guardrail rule '${id}' is at revision ${current}, not ${expected}: read it again and decide on what is there`,
      );
  }

  /**
   * A tenant's engine holds the deployment-wide rules and the tenant's own, whose ids must
   * differ (each decision names its rule by id alone).
   */
  private checkIdFree(owner: RuleOwner, id: string): void {
    if (owner !== null) {
      if (this.store.get(null, id))
        throw new ApiError(
          409,
          'rule_id_taken',
          `a deployment-wide guardrail rule has the id '${id}', and applies to this tenant's calls too: choose another id`,
        );
      return;
    }
    const users = [...this.store.tenants()].filter((t) => this.store.get(t, id)).sort();
    if (users.length > 0)
      throw new ApiError(
        409,
        'rule_id_taken',
        `the tenants ${users.join(', ')} have a guardrail rule '${id}' of their own: choose another id`,
      );
  }

  /**
   * GATEWAY_GUARDRAILS_FILE's rules (a rule with `scope.tenant` is that tenant's, one without is
   * deployment-wide), written where the topic holds anything else: an unchanged rule is left
   * alone and keeps its revision, so replicas starting together with the same file do not
   * churn. A rule removed from the file stays until removed through the API or CLI.
   */
  private async applyFile(): Promise<void> {
    const file = this.config.get('GATEWAY_GUARDRAILS_FILE');
    if (!file) return;
    const rules = this.config.get('GATEWAY_GUARDRAILS');
    const by: GuardrailRuleAuthor = { source: 'config_file', key_id: null, tenant_id: null, file };
    let written = 0;
    for (const rule of rules)
      if ((await this.store.put(rule.scope.tenant ?? null, rule, by)).changed) written++;
    this.log.info(
      { file, rules: rules.length, written },
      'GATEWAY_GUARDRAILS_FILE applied to the control plane',
    );
  }
}

function byKey(key: ApiKey): GuardrailRuleAuthor {
  return { source: 'api', key_id: key.key_id, tenant_id: key.tenant_id, file: null };
}

function notFound(owner: RuleOwner, id: string): never {
  throw new ApiError(
    404,
    'rule_not_found',
    owner === null
      ? `there is no deployment-wide guardrail rule '${id}'; GET /v1/admin/guardrails/rules?scope=deployment lists them`
      : `tenant ${owner} has no guardrail rule '${id}'; GET /v1/admin/guardrails/rules lists them`,
  );
}
