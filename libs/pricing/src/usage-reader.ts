import type { Redis } from 'ioredis';
import type { Budget } from '@llmops/contracts';
import {
  budgetApplies,
  budgetCounterSuffix,
  budgetField,
  budgetPoints,
  budgetWindow,
  type BudgetSubject,
} from './budgets';
import { COUNTER_FIELDS, decodeId, type Dimension, type UsageKeys } from './keys';
import { LuaScript } from './lua';
import { picoToUsd } from './money';
import { windowOf, type Period, type Window } from './windows';

/** Current values of several counter fields in one call (the pre-flight check). */
export const READ_SCRIPT = new LuaScript(`#!lua flags=no-writes
local out = {}
for i = 1, #KEYS do out[i] = redis.call('HGET', KEYS[i], ARGV[i]) or '0' end
return out
`);

/** One row of usage. Integers are strings where they may pass 2^53 (cost). */
export interface UsageRow {
  key: string;
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  reasoning_tokens: number;
  total_tokens: number;
  errors: number;
  unpriced_requests: number;
  cost_pico_usd: string;
  cost_usd: string;
}

export interface UsageReport {
  tenant: string;
  group_by: Dimension;
  window: { period: Period; label: string; start_ms: number; end_ms: number };
  groups: UsageRow[];
  total: UsageRow;
}

export interface BudgetState {
  budget: Budget;
  window: Window;
  /** Tokens, or picodollars for usd budgets. */
  used: bigint;
  /** The hard limit in the counter unit; undefined when the budget has none. */
  hardValue?: bigint;
  exceeded: boolean;
}

/** Reads counters for the usage API, the CLI and the pre-flight budget check. */
export class UsageReader {
  constructor(
    private readonly redis: Redis,
    private readonly keys: UsageKeys,
  ) {}

  async usage(
    tenant: string,
    groupBy: Dimension,
    period: Period,
    atMs: number,
  ): Promise<UsageReport> {
    const w = windowOf(period, atMs);
    const values =
      groupBy === 'tenant'
        ? ['_']
        : (await this.redis.smembers(this.keys.index(tenant, groupBy, period, w.bucket)))
            .map(decodeId)
            .sort();
    const pipeline = this.redis.pipeline();
    for (const v of values)
      pipeline.hgetall(this.keys.counter(tenant, groupBy, v, period, w.bucket));
    const replies = values.length > 0 ? ((await pipeline.exec()) ?? []) : [];
    const groups = values.map((v, i) => {
      const [err, hash] = replies[i] ?? [null, {}];
      if (err) throw err;
      return toRow(groupBy === 'tenant' ? tenant : v, hash as Record<string, string>);
    });
    return {
      tenant,
      group_by: groupBy,
      window: { period, label: w.label, start_ms: w.startMs, end_ms: w.endMs },
      groups,
      total: groupBy === 'tenant' && groups[0] ? groups[0] : sumRows(groups),
    };
  }

  /**
   * The state of every budget that applies to a call about to be made, from
   * one Redis call. `exceeded` when usage reached the hard limit.
   */
  async budgetStates(
    tenant: string,
    budgets: Budget[],
    subject: BudgetSubject,
    nowMs: number,
  ): Promise<BudgetState[]> {
    const applicable = budgets.filter((b) => budgetApplies(b, subject));
    if (applicable.length === 0) return [];
    const base = this.keys.tenantBase(tenant);
    const windows = applicable.map((b) => budgetWindow(b, nowMs));
    const reply = (await READ_SCRIPT.run(
      this.redis,
      applicable.map((b, i) => base + budgetCounterSuffix(this.keys, b, windows[i]!)),
      applicable.map(budgetField),
    )) as string[];
    return applicable.map((budget, i) => {
      const used = BigInt(reply[i] ?? '0');
      const hard = budgetPoints(budget).find((p) => p.kind === 'hard')?.value;
      return {
        budget,
        window: windows[i]!,
        used,
        ...(hard !== undefined ? { hardValue: hard } : {}),
        exceeded: hard !== undefined && used >= hard,
      };
    });
  }
}

function toRow(key: string, h: Record<string, string>): UsageRow {
  const n = (f: string) => Number(h[f] ?? '0');
  const cost = BigInt(h[COUNTER_FIELDS.cost_pico_usd] ?? '0');
  return {
    key,
    requests: n(COUNTER_FIELDS.requests),
    input_tokens: n(COUNTER_FIELDS.input_tokens),
    output_tokens: n(COUNTER_FIELDS.output_tokens),
    cached_input_tokens: n(COUNTER_FIELDS.cached_input_tokens),
    reasoning_tokens: n(COUNTER_FIELDS.reasoning_tokens),
    total_tokens: n(COUNTER_FIELDS.total_tokens),
    errors: n(COUNTER_FIELDS.errors),
    unpriced_requests: n(COUNTER_FIELDS.unpriced_requests),
    cost_pico_usd: cost.toString(),
    cost_usd: picoToUsd(cost),
  };
}

function sumRows(rows: UsageRow[]): UsageRow {
  const cost = rows.reduce((s, r) => s + BigInt(r.cost_pico_usd), 0n);
  const sum = (f: keyof UsageRow) => rows.reduce((s, r) => s + (r[f] as number), 0);
  return {
    key: '*',
    requests: sum('requests'),
    input_tokens: sum('input_tokens'),
    output_tokens: sum('output_tokens'),
    cached_input_tokens: sum('cached_input_tokens'),
    reasoning_tokens: sum('reasoning_tokens'),
    total_tokens: sum('total_tokens'),
    errors: sum('errors'),
    unpriced_requests: sum('unpriced_requests'),
    cost_pico_usd: cost.toString(),
    cost_usd: picoToUsd(cost),
  };
}
