import type {
  GuardrailFinding,
  Invocation,
  SecurityEvent,
  SecuritySeverity,
} from '@llmops/contracts';
import type { RuleSource } from '../rules/rule-source';
import { detectedDecisions, recordedDecisions, type LocatedDecision } from './decisions';
import { toFinding } from './finding';
import { securityEventOf } from './security-event';

/**
 * How an invocation was looked at: `recorded` (the gateway's decisions taken as they are),
 * `evaluated` (the rules in detect mode), `unevaluated` (reported, but no rules to evaluate).
 */
export type InspectionPath = 'recorded' | 'evaluated' | 'unevaluated';

export interface Inspection {
  path: InspectionPath;
  findings: GuardrailFinding[];
  /** The findings that are for the SOC, one event each. */
  securityEvents: SecurityEvent[];
}

/**
 * The guardrail findings of one invocation and their security events. Pure but for the rules in
 * force (asked of the source per call): the same invocation under the same rules always gives
 * the same records, ids included, so a redelivery duplicates nothing downstream.
 */
export class InvocationMonitor {
  constructor(
    private readonly rules: RuleSource,
    private readonly minSeverity: SecuritySeverity,
  ) {}

  async inspect(inv: Invocation): Promise<Inspection> {
    let path: InspectionPath;
    let decisions: LocatedDecision[];
    if (inv.source === 'gateway') {
      path = 'recorded';
      decisions = recordedDecisions(inv);
    } else {
      const engine = this.rules.engineFor(inv.tenant_id);
      path = engine ? 'evaluated' : 'unevaluated';
      decisions = engine ? await detectedDecisions(inv, engine) : [];
    }
    const findings = decisions.map((d) => toFinding(inv, d));
    const securityEvents = findings.flatMap((f) => securityEventOf(f, this.minSeverity) ?? []);
    return { path, findings, securityEvents };
  }
}
