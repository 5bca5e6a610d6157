import type { Budget } from '@llmops/contracts';
import {
  budgetApplies,
  budgetCounterSuffix,
  budgetField,
  budgetPoints,
  budgetWindow,
  type BudgetPoint,
} from './budgets';
import { encodeId, type UsageKeys } from './keys';
import { windowOf, type Window } from './windows';

/**
 * Counts a batch of one tenant's invocations in one atomic call:
 *
 * 1. per event, `SET dd:<event id> NX EX <ttl>`: a redelivered event is a
 *    duplicate and counts nothing, in the same script as the counting;
 * 2. sums the fresh events per counter hash (tenant, app, user, agent and
 *    model × minute, hour, day, month) and applies each sum with one HINCRBY
 *    per non-zero field, EXPIREAT window end + retention;
 * 3. walks the budgets in event order: the event that carries a budget's
 *    running total to or past a threshold claims it with
 *    `SET bx:... <event id> NX` — one winner across replicas. A duplicate
 *    event that owns a claim not yet marked sent reports it again, so a
 *    crash between this script and the Kafka write loses no budget event.
 *
 * Numbers cross into Lua as doubles, exact below 2^53: the caller keeps each
 * call's total cost below 2^52 picodollars, and HINCRBY gets the sums as
 * integer strings, so Redis keeps exact 64-bit counters. Budget comparisons
 * above 2^53 picodollars (about $9,007 in one window) may be off by a few
 * picodollars, never a counter.
 *
 * The shebang makes Redis refuse the whole script up front under OOM
 * instead of failing half-way; the caller validates every argument first
 * so no command inside can fail.
 */
export const COUNT_SCRIPT = `#!lua
local base = KEYS[1]
local ttl = ARGV[1]
local i = 2
local wins = {}
local nWin = tonumber(ARGV[i]); i = i + 1
for w = 1, nWin do
  wins[w] = {ARGV[i], ARGV[i+1], ARGV[i+2], ARGV[i+3], ARGV[i+4], ARGV[i+5], ARGV[i+6], ARGV[i+7]}
  i = i + 8
end
local bws = {}
local nBw = tonumber(ARGV[i]); i = i + 1
for b = 1, nBw do
  local bw = {key = base .. ARGV[i], field = ARGV[i+1], claim = base .. ARGV[i+2], exp = ARGV[i+3], pts = {}, fired = {}}
  local np = tonumber(ARGV[i+4]); i = i + 5
  for p = 1, np do bw.pts[p] = {ARGV[i], tonumber(ARGV[i+1])}; i = i + 2 end
  bw.run = tonumber(redis.call('HGET', bw.key, bw.field) or '0')
  bws[b] = bw
end
local WIN = {'m', 'h', 'd', 'M'}
local FIELDS = {'req', 'in', 'out', 'cin', 'rsn', 'tok', 'cost', 'err', 'unp'}
local agg, aggExp, order, idx, idxOrder = {}, {}, {}, {}, {}
local out = {0, 0}
local nEv = tonumber(ARGV[i]); i = i + 1
for e = 1, nEv do
  local id, w = ARGV[i], wins[tonumber(ARGV[i+1])]
  local dims = {'t', '_', 'app', ARGV[i+2], 'user', ARGV[i+3], 'agent', ARGV[i+4], 'model', ARGV[i+5]}
  local inp, outp = tonumber(ARGV[i+6]), tonumber(ARGV[i+7])
  local cost = tonumber(ARGV[i+10])
  local vals = {1, inp, outp, tonumber(ARGV[i+8]), tonumber(ARGV[i+9]), inp + outp, cost, tonumber(ARGV[i+11]), tonumber(ARGV[i+12])}
  local nb = tonumber(ARGV[i+13]); i = i + 14
  local fresh = redis.call('SET', base .. 'dd:' .. id, '1', 'NX', 'EX', ttl)
  if fresh then
    out[1] = out[1] + 1
    for d = 1, 9, 2 do
      local dim, val = dims[d], dims[d+1]
      if val ~= '' then
        for k = 1, 4 do
          local key = base .. 'u:' .. dim .. ':' .. val .. ':' .. WIN[k] .. ':' .. w[k]
          local a = agg[key]
          if not a then
            a = {0, 0, 0, 0, 0, 0, 0, 0, 0}
            agg[key] = a; aggExp[key] = w[k+4]; order[#order+1] = key
          end
          for f = 1, 9 do a[f] = a[f] + vals[f] end
          if dim ~= 't' then
            local ik = base .. 'ix:' .. dim .. ':' .. WIN[k] .. ':' .. w[k]
            local s = idx[ik]
            if not s then s = {exp = w[k+4], m = {}, n = {}}; idx[ik] = s; idxOrder[#idxOrder+1] = ik end
            if not s.m[val] then s.m[val] = true; s.n[#s.n+1] = val end
          end
        end
      end
    end
  else
    out[2] = out[2] + 1
  end
  for b = 1, nb do
    local bi = tonumber(ARGV[i]); i = i + 1
    local bw = bws[bi]
    if fresh then
      if bw.field == 'tok' then bw.run = bw.run + inp + outp else bw.run = bw.run + cost end
    end
    for p = 1, #bw.pts do
      local pt = bw.pts[p]
      if not bw.fired[p] and bw.run >= pt[2] then
        local ck = bw.claim .. ':' .. pt[1]
        if fresh then
          bw.fired[p] = true
          if redis.call('SET', ck, id, 'NX', 'EXAT', bw.exp) then
            out[#out+1] = bi; out[#out+1] = p; out[#out+1] = id
            out[#out+1] = string.format('%.0f', bw.run); out[#out+1] = 1
          end
        elseif redis.call('GET', ck) == id then
          bw.fired[p] = true
          out[#out+1] = bi; out[#out+1] = p; out[#out+1] = id
          out[#out+1] = string.format('%.0f', bw.run); out[#out+1] = 0
        end
      end
    end
  end
end
for _, key in ipairs(order) do
  local a = agg[key]
  for f = 1, 9 do
    if a[f] ~= 0 then redis.call('HINCRBY', key, FIELDS[f], string.format('%.0f', a[f])) end
  end
  redis.call('EXPIREAT', key, aggExp[key])
end
for _, ik in ipairs(idxOrder) do
  local s = idx[ik]
  for j = 1, #s.n, 500 do redis.call('SADD', ik, unpack(s.n, j, math.min(j + 499, #s.n))) end
  redis.call('EXPIREAT', ik, s.exp)
end
return out
`;

/** One invocation as the counting script sees it (validated and priced). */
export interface CountableEvent {
  event_id: string;
  start_time_ms: number;
  app_id: string;
  user_id: string | null;
  agent_id: string | null;
  model: string;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  reasoning_tokens: number;
  /** Picodollars. */
  cost: bigint;
  error: boolean;
  unpriced: boolean;
}

/** A budget in one window, as referenced by a call's crossings. */
export interface BudgetWindowRef {
  budget: Budget;
  window: Window;
  points: readonly BudgetPoint[];
}

export interface Crossing {
  ref: BudgetWindowRef;
  point: BudgetPoint;
  eventId: string;
  /** Usage in the counter unit (tokens or picodollars) right after the crossing event. */
  observed: bigint;
  /** False when a redelivered event reports a claim it made before. */
  fresh: boolean;
  /** Absolute key of the claim, to mark it sent once the events are written. */
  claimKey: string;
}

export interface CountCall {
  tenant: string;
  tenantBase: string;
  args: string[];
  refs: BudgetWindowRef[];
  events: CountableEvent[];
}

/** Claims grace after the window end, so a late redelivery still finds its claim. */
const CLAIM_GRACE_S = 2 * 86_400;
/** Keep each call's cost sum exact in Lua's doubles (see COUNT_SCRIPT). */
const MAX_CALL_COST = 2n ** 52n;
const MAX_CALL_EVENTS = 2_000;

/**
 * Builds the script calls for one tenant's events: one call normally, more
 * only when a batch is very large or very expensive. `budgets` are the
 * tenant's live budgets.
 */
export function buildCountCalls(
  keys: UsageKeys,
  tenant: string,
  events: CountableEvent[],
  budgets: Budget[],
  dedupeTtlS: number,
): CountCall[] {
  const calls: CountCall[] = [];
  let chunk: CountableEvent[] = [];
  let sum = 0n;
  for (const e of events) {
    if (chunk.length > 0 && (sum + e.cost >= MAX_CALL_COST || chunk.length >= MAX_CALL_EVENTS)) {
      calls.push(buildCall(keys, tenant, chunk, budgets, dedupeTtlS));
      chunk = [];
      sum = 0n;
    }
    chunk.push(e);
    sum += e.cost;
  }
  if (chunk.length > 0) calls.push(buildCall(keys, tenant, chunk, budgets, dedupeTtlS));
  return calls;
}

function buildCall(
  keys: UsageKeys,
  tenant: string,
  events: CountableEvent[],
  budgets: Budget[],
  dedupeTtlS: number,
): CountCall {
  const winArgs: string[] = [];
  const winIndex = new Map<number, number>();
  const refArgs: string[] = [];
  const refs: BudgetWindowRef[] = [];
  const refIndex = new Map<string, number>();
  const evArgs: string[] = [];
  for (const e of events) {
    const minute = Math.floor(e.start_time_ms / 60_000);
    let wi = winIndex.get(minute);
    if (wi === undefined) {
      const ws = (['minute', 'hour', 'day', 'month'] as const).map((p) =>
        windowOf(p, e.start_time_ms),
      );
      winArgs.push(...ws.map((w) => w.bucket), ...ws.map((w) => String(w.expireAt)));
      wi = winIndex.size + 1;
      winIndex.set(minute, wi);
    }
    const mine: number[] = [];
    for (const b of budgets) {
      if (!budgetApplies(b, e)) continue;
      const w = budgetWindow(b, e.start_time_ms);
      const id = `${b.budget_id}\u0000${w.bucket}`;
      let ri = refIndex.get(id);
      if (ri === undefined) {
        const points = budgetPoints(b);
        refs.push({ budget: b, window: w, points });
        ri = refs.length;
        refIndex.set(id, ri);
        refArgs.push(
          budgetCounterSuffix(keys, b, w),
          budgetField(b),
          claimSuffix(b, w),
          String(Math.ceil(w.endMs / 1000) + CLAIM_GRACE_S),
          String(points.length),
          ...points.flatMap((p) => [String(p.pct), p.value.toString()]),
        );
      }
      mine.push(ri);
    }
    evArgs.push(
      e.event_id,
      String(wi),
      encodeId(e.app_id),
      e.user_id ? encodeId(e.user_id) : '',
      e.agent_id ? encodeId(e.agent_id) : '',
      encodeId(e.model),
      String(e.input_tokens),
      String(e.output_tokens),
      String(e.cached_input_tokens),
      String(e.reasoning_tokens),
      e.cost.toString(),
      e.error ? '1' : '0',
      e.unpriced ? '1' : '0',
      String(mine.length),
      ...mine.map(String),
    );
  }
  return {
    tenant,
    tenantBase: keys.tenantBase(tenant),
    args: [
      String(dedupeTtlS),
      String(winIndex.size),
      ...winArgs,
      String(refs.length),
      ...refArgs,
      String(events.length),
      ...evArgs,
    ],
    refs,
    events,
  };
}

function claimSuffix(b: Budget, w: Window): string {
  return `bx:${encodeId(b.budget_id)}:${b.revision}:${w.label}`;
}

export interface CountResult {
  counted: number;
  duplicates: number;
  crossings: Crossing[];
}

/** Reads the script's reply. */
export function parseCountReply(call: CountCall, reply: unknown): CountResult {
  const r = reply as Array<number | string>;
  const crossings: Crossing[] = [];
  for (let i = 2; i + 4 < r.length + 0; i += 5) {
    const ref = call.refs[Number(r[i]) - 1]!;
    const point = ref.points[Number(r[i + 1]) - 1]!;
    crossings.push({
      ref,
      point,
      eventId: String(r[i + 2]),
      observed: BigInt(String(r[i + 3])),
      fresh: Number(r[i + 4]) === 1,
      claimKey: `${call.tenantBase}${claimSuffix(ref.budget, ref.window)}:${point.pct}`,
    });
  }
  return { counted: Number(r[0]), duplicates: Number(r[1]), crossings };
}
