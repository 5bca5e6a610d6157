import type { Kafka } from 'kafkajs';
import {
  guardrailRuleCodec,
  type GuardrailRuleAuthor,
  type GuardrailRuleEntry,
} from '@llmops/contracts';
import { canonicalJson } from '../canonical-json';
import { CompactedTopic } from '../compacted-topic';
import { loadRules, type Rule } from '@llmops/guardrails';
import type { Logger } from '@llmops/observability';

/** The tenant part of a deployment-wide rule's key: no tenant id can be `*`. */
const DEPLOYMENT = '*';

/** A rule's owner: a tenant id, or null for a deployment-wide rule (every tenant's calls). */
export type RuleOwner = string | null;

/** A live rule: as the engine takes it (its revision the record's), and the record that set it. */
export interface LiveRule {
  rule: Rule;
  /** The rule's canonical JSON without its revision: what is stored; equal rules, equal strings. */
  json: string;
  record: GuardrailRuleEntry;
}

export function ruleKey(owner: RuleOwner, id: string): string {
  return `${owner ?? DEPLOYMENT}/${id}`;
}

/** What is stored of a rule: everything but its revision, which the store assigns. */
export function storedJson(rule: Rule): string {
  const { revision: _assigned, ...rest } = rule;
  return canonicalJson(rest);
}

/**
 * The gateway's guardrail rules on the compacted topic `llmops.control.guardrail-rules.v1`
 * (see CompactedTopic), one record per `<tenant>/<rule id>`. Every replica reads the topic to
 * its end at start, then follows it live and tells its listener which owner's rules changed;
 * lookups are in memory. A stored rule is checked and compiled again when read back, so a
 * record this version cannot read is logged and left out, never evaluated half-understood.
 */
export class GuardrailRuleStore {
  /** The latest record of every key, removed ones included (their revision keeps counting). */
  private readonly records = new Map<string, GuardrailRuleEntry>();
  private readonly live = new Map<string, LiveRule>();
  private listener: ((owner: RuleOwner) => void) | undefined;
  private readonly state: CompactedTopic<GuardrailRuleEntry>;
  private readonly log: Logger;

  constructor(kafka: Kafka, logger: Logger, topic: string) {
    this.log = logger.child({ component: 'guardrail-rules' });
    this.state = new CompactedTopic<GuardrailRuleEntry>({
      kafka,
      logger,
      topic,
      what: 'guardrail rules',
      decode: (bytes) => guardrailRuleCodec.decode(bytes),
      encode: (record) => guardrailRuleCodec.encode(record),
      key: (record) => ruleKey(record.tenant_id, record.rule_id),
      apply: (record) => this.apply(record),
    });
  }

  /** Reads the topic up to its current end, then keeps following it. */
  async start(timeoutMs = 30_000): Promise<void> {
    await this.state.start(timeoutMs);
    this.log.info({ rules: this.live.size }, 'guardrail rules loaded');
  }

  stop(): Promise<void> {
    this.listener = undefined;
    return this.state.stop();
  }

  /** From now on, `listener` is told the owner of every rule that changes. */
  onChange(listener: (owner: RuleOwner) => void): void {
    this.listener = listener;
  }

  /** The owner's live rules, by id. */
  rules(owner: RuleOwner): LiveRule[] {
    return [...this.live.values()]
      .filter((r) => r.record.tenant_id === owner)
      .sort((a, b) => (a.rule.id < b.rule.id ? -1 : a.rule.id > b.rule.id ? 1 : 0));
  }

  /** Tenants that have rules of their own. */
  tenants(): Set<string> {
    const out = new Set<string>();
    for (const r of this.live.values())
      if (r.record.tenant_id !== null) out.add(r.record.tenant_id);
    return out;
  }

  get(owner: RuleOwner, id: string): LiveRule | undefined {
    return this.live.get(ruleKey(owner, id));
  }

  /**
   * Stores a rule (validated and compiled by the caller; its `revision` is not used) unless
   * the live one is equal: replicas applying the same file at start write nothing twice, and
   * an unchanged rule keeps its revision. `changed` false: nothing written.
   */
  async put(
    owner: RuleOwner,
    rule: Rule,
    by: GuardrailRuleAuthor,
    now = Date.now(),
  ): Promise<{ entry: LiveRule; created: boolean; changed: boolean }> {
    const json = storedJson(rule);
    const current = this.get(owner, rule.id);
    if (current?.json === json) return { entry: current, created: false, changed: false };
    await this.write(owner, rule.id, json, by, now, null);
    return { entry: this.get(owner, rule.id)!, created: !current, changed: true };
  }

  /** Marks a rule removed (the record stays, with its revision); undefined when it was not there. */
  async remove(
    owner: RuleOwner,
    id: string,
    by: GuardrailRuleAuthor,
    now = Date.now(),
  ): Promise<GuardrailRuleEntry | undefined> {
    if (!this.get(owner, id)) return undefined;
    return this.write(owner, id, null, by, now, now);
  }

  private async write(
    owner: RuleOwner,
    id: string,
    ruleJson: string | null,
    by: GuardrailRuleAuthor,
    now: number,
    deletedAt: number | null,
  ): Promise<GuardrailRuleEntry> {
    const record: GuardrailRuleEntry = {
      tenant_id: owner,
      rule_id: id,
      rule_json: ruleJson,
      revision: (this.records.get(ruleKey(owner, id))?.revision ?? 0) + 1,
      changed_at_ms: now,
      changed_by: by,
      deleted_at_ms: deletedAt,
    };
    await this.state.write(record);
    return record;
  }

  private apply(record: GuardrailRuleEntry): void {
    const key = ruleKey(record.tenant_id, record.rule_id);
    const current = this.records.get(key);
    // Our own write is applied at once and read back later: never go back a revision, and do
    // not compile the same change twice.
    if (current && (current.revision > record.revision || sameChange(current, record))) return;
    this.records.set(key, record);
    const entry = record.rule_json === null ? undefined : this.readRule(record, record.rule_json);
    if (entry) this.live.set(key, entry);
    else this.live.delete(key);
    this.listener?.(record.tenant_id);
  }

  private readRule(record: GuardrailRuleEntry, json: string): LiveRule | undefined {
    try {
      const stored = JSON.parse(json) as Record<string, unknown>;
      const [rule] = loadRules({ rules: [{ ...stored, revision: record.revision }] }, 'topic');
      if (rule!.id !== record.rule_id) throw new Error(`the rule's id is '${rule!.id}'`);
      if ((rule!.scope.tenant ?? null) !== record.tenant_id)
        throw new Error(`the rule's scope.tenant is '${rule!.scope.tenant ?? ''}'`);
      return { rule: rule!, json: storedJson(rule!), record };
    } catch (err) {
      this.log.error(
        { tenant: record.tenant_id, rule: record.rule_id, revision: record.revision, err },
        'guardrail rule that this version cannot read left out',
      );
      return undefined;
    }
  }
}

function sameChange(a: GuardrailRuleEntry, b: GuardrailRuleEntry): boolean {
  return (
    a.revision === b.revision &&
    a.changed_at_ms === b.changed_at_ms &&
    a.rule_json === b.rule_json &&
    a.deleted_at_ms === b.deleted_at_ms
  );
}
