import {
  stableUuid,
  type BudgetEvent,
  type Invocation,
  type SecurityEvent,
} from '@llmops/contracts';
import { PICO_PER_MICRO, type Crossing } from '@llmops/pricing';

/** Usage in the budget's unit: tokens, or micro-dollars rounded down. */
function inBudgetUnit(c: Crossing): number {
  return Number(c.ref.budget.unit === 'usd' ? c.observed / PICO_PER_MICRO : c.observed);
}

export function budgetEvent(c: Crossing, inv: Pick<Invocation, 'start_time_ms'>): BudgetEvent {
  const b = c.ref.budget;
  const w = c.ref.window;
  return {
    event_id: stableUuid(
      'budget-event',
      b.tenant_id,
      b.budget_id,
      b.revision,
      w.label,
      c.point.pct,
    ),
    time_ms: inv.start_time_ms,
    emitted_at_ms: Date.now(),
    tenant_id: b.tenant_id,
    budget_id: b.budget_id,
    budget_revision: b.revision,
    budget_name: b.name,
    scope: b.scope,
    scope_value: b.scope_value,
    period: b.period,
    window: w.label,
    window_start_ms: w.startMs,
    window_end_ms: w.endMs,
    unit: b.unit,
    limit: b.limit,
    threshold_pct: c.point.pct,
    threshold_value: Number(c.point.budgetValue),
    observed: inBudgetUnit(c),
    kind: c.point.kind,
    invocation_id: c.eventId,
  };
}

/**
 * The SOC's record of a hard-limit breach. Its id derives from budget,
 * revision and window only: one per budget and window, whichever replica or
 * redelivery writes it.
 */
export function breachSecurityEvent(c: Crossing, inv: Invocation): SecurityEvent {
  const b = c.ref.budget;
  return {
    event_id: stableUuid(
      'budget_limit_breach',
      b.tenant_id,
      b.budget_id,
      b.revision,
      c.ref.window.label,
    ),
    time_ms: inv.start_time_ms,
    category: 'budget_limit_breach',
    severity: 'medium',
    // The call had already happened; enforcement is the pre-flight check's job.
    outcome: 'allowed',
    tenant_id: b.tenant_id,
    reporter: 'token-accountant',
    actor: {
      user_id: inv.user_id,
      app_id: inv.app_id,
      agent_id: inv.agent_id,
      agent_name: inv.agent_name,
      api_key_id: null,
      source_ip: null,
      user_agent: null,
    },
    target: {
      provider: inv.provider_name,
      model: inv.request_model,
      operation: inv.operation,
      endpoint_host: inv.endpoint.host,
      endpoint_kind: inv.endpoint.kind,
      http_method: null,
      http_path: null,
      tool_name: null,
    },
    invocation_id: inv.event_id,
    trace_id: inv.trace_id,
    span_id: inv.span_id,
    rule: {
      id: b.budget_id,
      name: b.name,
      type: 'budget_hard_limit',
      policy: null,
      version: String(b.revision),
    },
    sensitive_data: null,
    auth: null,
    budget: {
      budget_id: b.budget_id,
      scope: b.scope_value ? `${b.scope}:${b.scope_value}` : b.scope,
      period: `${b.period}:${c.ref.window.label}`,
      unit: b.unit,
      limit: b.unit === 'usd' ? b.limit / 1e6 : b.limit,
      observed: b.unit === 'usd' ? inBudgetUnit(c) / 1e6 : inBudgetUnit(c),
    },
  };
}
