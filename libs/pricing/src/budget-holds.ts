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
import type { UsageKeys } from './keys';
import { LuaScript } from './lua';
import type { BudgetState } from './usage-reader';

/**
 * What a call may use before it is made, per budget unit: tokens, and picodollars (0 when its
 * model has no price).
 */
export interface HoldAmount {
  tokens: bigint;
  picoUsd: bigint;
}

/**
 * In one atomic step, for every budget of the call with a hard limit: what was counted, plus
 * what the calls under way hold, plus this call's amount must stay within the limit; if every
 * budget allows it, the call holds its amount on each until `expires`. KEYS: per budget, its
 * counter hash then its holds (a sorted set: member `<hold id>:<amount>`, score the hold's
 * expiry). ARGV[1]: now, ARGV[2]: the expiry, ARGV[3]: the hold id, ARGV[4]: the holds' key
 * ttl; then per budget its counter field, hard limit and this call's amount. Returns {0} when
 * held, {i, used, held} when budget i refuses. Amounts are compared as Lua numbers: exact up to
 * 2^53 picodollars (about 9,000 USD), within a part in 10^15 beyond.
 */
const HOLD = new LuaScript(`
local now = ARGV[1]
local n = #KEYS / 2
local function held(holds)
  redis.call('ZREMRANGEBYSCORE', holds, '-inf', now)
  local sum = 0
  for _, m in ipairs(redis.call('ZRANGE', holds, 0, -1)) do
    sum = sum + tonumber(string.match(m, ':(%d+)$'))
  end
  return sum
end
for i = 1, n do
  local base = 4 + (i - 1) * 3
  local used = tonumber(redis.call('HGET', KEYS[2 * i - 1], ARGV[base + 1]) or '0')
  local hard = tonumber(ARGV[base + 2])
  local amount = tonumber(ARGV[base + 3])
  local h = held(KEYS[2 * i])
  if used + h >= hard or used + h + amount > hard then
    return {i, tostring(used), tostring(h)}
  end
end
for i = 1, n do
  local base = 4 + (i - 1) * 3
  redis.call('ZADD', KEYS[2 * i], ARGV[2], ARGV[3] .. ':' .. ARGV[base + 3])
  redis.call('PEXPIRE', KEYS[2 * i], ARGV[4])
end
return {0}
`);

/** Moves a hold to a new amount and expiry on every budget it is on (KEYS: the holds). */
const SETTLE = new LuaScript(`
for _, holds in ipairs(KEYS) do
  for _, m in ipairs(redis.call('ZRANGE', holds, 0, -1)) do
    if string.sub(m, 1, #ARGV[1] + 1) == ARGV[1] .. ':' then redis.call('ZREM', holds, m) end
  end
  if ARGV[3] ~= '' then redis.call('ZADD', holds, ARGV[2], ARGV[1] .. ':' .. ARGV[3]) end
end
return 0
`);

/** A call's hold on its budgets, to be settled once the call ended. */
export interface BudgetHold {
  id: string;
  /** The holds it is on, with their budget's unit; none when no budget with a hard limit applies. */
  on: Array<{ key: string; unit: 'tok' | 'cost' }>;
}

export type HoldDecision =
  | { allowed: true; hold: BudgetHold }
  | { allowed: false; denied: BudgetState; retryAfterS: number };

/**
 * Budget holds of calls under way, so that concurrent calls cannot all pass a budget's last
 * room (the pre-flight check alone reads what was counted, which the calls in flight are not
 * yet): each call holds what it may use on its budgets, atomically with the check, until it
 * ends; then its hold shrinks to what it used and stays a short while longer (`graceMs`), until
 * the accountant has counted the call's record. During that while the call counts twice, which
 * errs on the side of the limit.
 */
export class BudgetHolds {
  constructor(
    private readonly redis: Redis,
    private readonly keys: UsageKeys,
  ) {}

  async take(
    tenant: string,
    budgets: Budget[],
    subject: BudgetSubject,
    amount: HoldAmount,
    holdId: string,
    holdMs: number,
    nowMs = Date.now(),
  ): Promise<HoldDecision> {
    const limited = budgets
      .filter((b) => budgetApplies(b, subject))
      .map((budget) => ({
        budget,
        window: budgetWindow(budget, nowMs),
        hard: budgetPoints(budget).find((p) => p.kind === 'hard')?.value,
      }))
      .filter((b): b is typeof b & { hard: bigint } => b.hard !== undefined);
    if (limited.length === 0) return { allowed: true, hold: { id: holdId, on: [] } };
    const base = this.keys.tenantBase(tenant);
    const keys = limited.flatMap((b) => {
      const counter = base + budgetCounterSuffix(this.keys, b.budget, b.window);
      // Counters are shared by the budgets of one scope and window; holds are per budget.
      return [counter, `${counter}:holds:${encodeURIComponent(b.budget.budget_id)}`];
    });
    const ttlMs = Math.max(...limited.map((b) => b.window.endMs - nowMs)) + holdMs;
    const reply = (await HOLD.run(this.redis, keys, [
      String(nowMs),
      String(nowMs + holdMs),
      holdId,
      String(ttlMs),
      ...limited.flatMap((b) => [
        budgetField(b.budget),
        b.hard.toString(),
        (budgetField(b.budget) === 'tok' ? amount.tokens : amount.picoUsd).toString(),
      ]),
    ])) as [number, string?, string?];
    if (reply[0] === 0)
      return {
        allowed: true,
        hold: {
          id: holdId,
          on: limited.map((b, i) => ({ key: keys[2 * i + 1]!, unit: budgetField(b.budget) })),
        },
      };
    const d = limited[reply[0] - 1]!;
    const used = BigInt(reply[1] ?? '0');
    return {
      allowed: false,
      denied: { budget: d.budget, window: d.window, used, hardValue: d.hard, exceeded: true },
      retryAfterS: Math.max(1, Math.ceil((d.window.endMs - nowMs) / 1000)),
    };
  }

  /**
   * Once the call ended: its hold becomes what it used (`used`, per unit) for `graceMs`
   * longer, or goes at once when it used nothing.
   */
  async settle(hold: BudgetHold, used: HoldAmount, graceMs: number, nowMs = Date.now()) {
    for (const unit of ['tok', 'cost'] as const) {
      const keys = hold.on.filter((h) => h.unit === unit).map((h) => h.key);
      if (keys.length === 0) continue;
      const amount = unit === 'tok' ? used.tokens : used.picoUsd;
      await SETTLE.run(this.redis, keys, [
        hold.id,
        String(nowMs + graceMs),
        amount > 0n ? amount.toString() : '',
      ]);
    }
  }
}
