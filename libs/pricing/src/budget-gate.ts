import type { Budget } from '@llmops/contracts';
import type { BudgetSubject } from './budgets';
import type { BudgetState, UsageReader } from './usage-reader';

/** Where the gate finds a tenant's live budgets (the BudgetStore's in-memory copy). */
export interface BudgetSource {
  forTenant(tenant: string): Budget[];
}

/** The answer to "may this call be made now?". */
export type BudgetDecision =
  | { allowed: true; states: BudgetState[] }
  | {
      allowed: false;
      states: BudgetState[];
      /** The first budget at its hard limit. */
      denied: BudgetState;
      /** Seconds until the denying budget's window resets (at least 1). */
      retryAfterS: number;
    };

/**
 * The pre-flight budget check: the budgets that apply to a call, read in one
 * Redis call, and a decision. The ingress answers `POST /v1/budgets/check`
 * with it; a gateway calls it in-process before forwarding to a model. It
 * decides on calls not yet made and never touches the record of one made.
 */
export class BudgetGate {
  constructor(
    private readonly budgets: BudgetSource,
    private readonly reader: UsageReader,
  ) {}

  async check(tenant: string, subject: BudgetSubject, nowMs = Date.now()): Promise<BudgetDecision> {
    const states = await this.reader.budgetStates(
      tenant,
      this.budgets.forTenant(tenant),
      subject,
      nowMs,
    );
    const denied = states.find((s) => s.exceeded);
    if (!denied) return { allowed: true, states };
    return {
      allowed: false,
      states,
      denied,
      retryAfterS: Math.max(1, Math.ceil((denied.window.endMs - nowMs) / 1000)),
    };
  }
}
