import type { Budget, BudgetPeriod, BudgetScope, BudgetUnit } from '@llmops/contracts';
import { PICO_PER_MICRO, microToUsd, usdToMicro } from './money';
import { UsageKeys } from './keys';
import { windowOf, type Window } from './windows';

export const DEFAULT_THRESHOLDS_PCT = [50, 80, 100];
export const DEFAULT_HARD_LIMIT_PCT = 100;
const ID = /^[A-Za-z0-9._-]{1,64}$/;

/** One point of a budget at which an event is emitted (and, if hard, calls are denied). */
export interface BudgetPoint {
  pct: number;
  kind: 'soft' | 'hard';
  /** In the counter's unit: tokens, or picodollars for usd budgets. */
  value: bigint;
  /** In the budget's unit: tokens, or micro-dollars. */
  budgetValue: bigint;
}

/** The call (or invocation) a budget may apply to. */
export interface BudgetSubject {
  app_id: string;
  user_id?: string | null;
  agent_id?: string | null;
}

export function budgetApplies(b: Budget, s: BudgetSubject): boolean {
  if (b.deleted_at_ms !== null) return false;
  switch (b.scope) {
    case 'tenant':
      return true;
    case 'app':
      return s.app_id === b.scope_value;
    case 'user':
      return s.user_id === b.scope_value;
    case 'agent':
      return s.agent_id === b.scope_value;
  }
}

/** The counter field a budget is measured on: total tokens or cost. */
export function budgetField(b: Budget): 'tok' | 'cost' {
  return b.unit === 'tokens' ? 'tok' : 'cost';
}

const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;

// Budget records are immutable values (an update stores a new record), so each
// record's points are worked out once: the accountant asks for every event, the
// pre-flight check for every call.
const pointsOf = new WeakMap<Budget, readonly BudgetPoint[]>();

/** Soft thresholds and the hard limit, ascending; a hard limit at a soft threshold's percent replaces it. */
export function budgetPoints(b: Budget): readonly BudgetPoint[] {
  let points = pointsOf.get(b);
  if (!points) {
    points = Object.freeze(computePoints(b).map((p) => Object.freeze(p)));
    pointsOf.set(b, points);
  }
  return points;
}

function computePoints(b: Budget): BudgetPoint[] {
  const pcts = new Map<number, 'soft' | 'hard'>();
  for (const p of b.thresholds_pct) pcts.set(p, 'soft');
  if (b.hard_limit_pct !== null) pcts.set(b.hard_limit_pct, 'hard');
  const scale = b.unit === 'usd' ? PICO_PER_MICRO : 1n;
  return [...pcts]
    .sort((a, z) => a[0] - z[0])
    .map(([pct, kind]) => {
      const budgetValue = ceilDiv(BigInt(b.limit) * BigInt(pct), 100n);
      return {
        pct,
        kind,
        budgetValue,
        value: ceilDiv(BigInt(b.limit) * scale * BigInt(pct), 100n),
      };
    });
}

/** The UTC window of a budget containing `atMs`. */
export function budgetWindow(b: Budget, atMs: number): Window {
  return windowOf(b.period, atMs);
}

/** Counter key (relative to the tenant base) a budget reads in a window. */
export function budgetCounterSuffix(keys: UsageKeys, b: Budget, w: Window): string {
  return b.scope === 'tenant'
    ? keys.counterSuffix('tenant', '_', w.period, w.bucket)
    : keys.counterSuffix(b.scope, b.scope_value ?? '', w.period, w.bucket);
}

/** A budget as the API and the CLI show it: USD amounts as exact decimal strings, ISO times. */
export function budgetView(b: Budget) {
  return {
    budget_id: b.budget_id,
    name: b.name,
    scope: b.scope,
    scope_value: b.scope_value,
    period: b.period,
    unit: b.unit,
    limit: b.unit === 'usd' ? microToUsd(BigInt(b.limit)) : b.limit,
    thresholds_pct: b.thresholds_pct,
    hard_limit_pct: b.hard_limit_pct,
    revision: b.revision,
    created_at: new Date(b.created_at_ms).toISOString(),
    updated_at: new Date(b.updated_at_ms).toISOString(),
  };
}

/** What an API or CLI caller sends to create or change a budget. */
export interface BudgetInput {
  budget_id?: unknown;
  name?: unknown;
  scope?: unknown;
  scope_value?: unknown;
  period?: unknown;
  unit?: unknown;
  /** Tokens (integer) for unit tokens; USD (decimal, e.g. "250.50") for unit usd. */
  limit?: unknown;
  thresholds_pct?: unknown;
  hard_limit_pct?: unknown;
}

export interface BudgetFieldError {
  path: string;
  message: string;
}

export class BudgetValidationError extends Error {
  readonly retriable = false;
  constructor(readonly errors: BudgetFieldError[]) {
    super(`invalid budget: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
    this.name = 'BudgetValidationError';
  }
}

const SCOPES: BudgetScope[] = ['tenant', 'app', 'user', 'agent'];
const PERIODS: BudgetPeriod[] = ['day', 'month'];
const UNITS: BudgetUnit[] = ['tokens', 'usd'];

/**
 * Validates a new budget (no `existing`) or a change (fields absent keep
 * their value; scope, period, unit and id cannot change — create another
 * budget for that). Throws BudgetValidationError with every problem.
 */
export function buildBudget(
  tenant: string,
  input: BudgetInput,
  nowMs: number,
  existing?: Budget,
  newId: () => string = () => `b-${nowMs.toString(36)}${Math.random().toString(36).slice(2, 8)}`,
): Budget {
  const errors: BudgetFieldError[] = [];
  const err = (path: string, message: string) => errors.push({ path, message });
  const has = (k: keyof BudgetInput) => input[k] !== undefined;
  if (existing) {
    for (const k of ['scope', 'scope_value', 'period', 'unit'] as const) {
      if (has(k) && input[k] !== existing[k]) err(k, 'cannot change; create a new budget instead');
    }
  }
  const pick = <T extends string>(k: 'scope' | 'period' | 'unit', allowed: T[], fallback?: T) => {
    const v = has(k) ? input[k] : (existing?.[k] ?? fallback);
    if (typeof v !== 'string' || !allowed.includes(v as T)) {
      err(k, `must be one of ${allowed.join(', ')}`);
      return allowed[0]!;
    }
    return v as T;
  };
  const scope = pick('scope', SCOPES);
  const period = pick('period', PERIODS);
  const unit = pick('unit', UNITS);
  const id = existing?.budget_id ?? (has('budget_id') ? input.budget_id : newId());
  if (typeof id !== 'string' || !ID.test(id))
    err('budget_id', "must be 1-64 letters, digits, '.', '_' or '-'");
  let scopeValue: string | null = existing?.scope_value ?? null;
  if (!existing) {
    if (scope === 'tenant') {
      if (has('scope_value') && input.scope_value !== null)
        err('scope_value', 'must be absent for scope tenant');
    } else if (
      typeof input.scope_value !== 'string' ||
      input.scope_value.length === 0 ||
      input.scope_value.length > 256
    ) {
      err('scope_value', `is required for scope ${scope}: the ${scope} id (1-256 characters)`);
    } else scopeValue = input.scope_value;
  }
  let limit = existing ? BigInt(existing.limit) : 0n;
  if (has('limit') || !existing) {
    try {
      if (unit === 'usd') limit = usdToMicro(input.limit as string);
      else if (typeof input.limit === 'number' && Number.isSafeInteger(input.limit))
        limit = BigInt(input.limit);
      else if (typeof input.limit === 'string' && /^\d{1,15}$/.test(input.limit))
        limit = BigInt(input.limit);
      else throw new RangeError('must be a whole number of tokens');
      if (limit <= 0n) throw new RangeError('must be greater than 0');
      if (limit > BigInt(Number.MAX_SAFE_INTEGER) / 100n) throw new RangeError('is too large');
    } catch (e) {
      err(
        'limit',
        unit === 'usd' && !(e instanceof RangeError && /greater|large/.test(e.message))
          ? 'must be a USD amount with at most 6 decimals, e.g. "250" or "99.95"'
          : (e as Error).message,
      );
    }
  }
  const pct = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 1000;
  let thresholds = existing?.thresholds_pct ?? DEFAULT_THRESHOLDS_PCT;
  if (has('thresholds_pct')) {
    if (
      !Array.isArray(input.thresholds_pct) ||
      input.thresholds_pct.length > 20 ||
      !input.thresholds_pct.every(pct)
    ) {
      err('thresholds_pct', 'must be a list of at most 20 whole percentages from 1 to 1000');
    } else thresholds = [...new Set(input.thresholds_pct as number[])].sort((a, b) => a - b);
  }
  let hard: number | null = existing ? existing.hard_limit_pct : DEFAULT_HARD_LIMIT_PCT;
  if (has('hard_limit_pct')) {
    if (input.hard_limit_pct !== null && !pct(input.hard_limit_pct)) {
      err('hard_limit_pct', 'must be a whole percentage from 1 to 1000, or null for no hard limit');
    } else hard = input.hard_limit_pct as number | null;
  }
  let name = existing?.name ?? null;
  if (has('name')) {
    if (input.name !== null && (typeof input.name !== 'string' || input.name.length > 200)) {
      err('name', 'must be a string of at most 200 characters, or null');
    } else name = input.name;
  }
  if (errors.length > 0) throw new BudgetValidationError(errors);
  return {
    budget_id: id as string,
    tenant_id: tenant,
    name,
    scope,
    scope_value: scope === 'tenant' ? null : scopeValue,
    period,
    unit,
    limit: Number(limit),
    thresholds_pct: thresholds,
    hard_limit_pct: hard,
    revision: (existing?.revision ?? 0) + 1,
    created_at_ms: existing?.created_at_ms ?? nowMs,
    updated_at_ms: nowMs,
    deleted_at_ms: null,
  };
}
