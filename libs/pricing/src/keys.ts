import { PERIOD_CODE, type Period } from './windows';

/** The dimensions counters are kept by, within a tenant. `tenant` is the tenant's total. */
export type Dimension = 'tenant' | 'app' | 'user' | 'agent' | 'model';
export const DIMENSIONS: readonly Dimension[] = ['tenant', 'app', 'user', 'agent', 'model'];
const DIM_CODE: Record<Dimension, string> = {
  tenant: 't',
  app: 'app',
  user: 'user',
  agent: 'agent',
  model: 'model',
};

/** Fields of a counter hash. Cost is in picodollars (1e-12 USD). */
export const COUNTER_FIELDS = {
  requests: 'req',
  input_tokens: 'in',
  output_tokens: 'out',
  cached_input_tokens: 'cin',
  reasoning_tokens: 'rsn',
  total_tokens: 'tok',
  cost_pico_usd: 'cost',
  errors: 'err',
  unpriced_requests: 'unp',
} as const;

/**
 * Redis key layout. Every key of a tenant starts with `<prefix>{<tenant>}:`
 * (a hash tag: one tenant's keys share a cluster slot, so one script call
 * per tenant touches one node). Ids are URI-encoded so ':' in an id cannot
 * forge another key. Keys hold ids only, never prompt or response text.
 *
 * - `u:<dim>:<value>:<m|h|d|M>:<bucket>`  counter hash
 * - `ix:<dim>:<m|h|d|M>:<bucket>`         set of the dimension's values seen in the window
 * - `dd:<event id>`                         dedupe marker of a counted event
 * - `bx:<budget>:<revision>:<window>:<pct>` owner of a budget threshold crossing
 */
export class UsageKeys {
  constructor(readonly prefix: string) {}

  tenantBase(tenant: string): string {
    return `${this.prefix}{${tenant}}:`;
  }

  /** Counter key relative to the tenant base. */
  counterSuffix(dim: Dimension, value: string, period: Period, bucket: string): string {
    return `u:${DIM_CODE[dim]}:${dim === 'tenant' ? '_' : encodeId(value)}:${PERIOD_CODE[period]}:${bucket}`;
  }

  counter(tenant: string, dim: Dimension, value: string, period: Period, bucket: string): string {
    return this.tenantBase(tenant) + this.counterSuffix(dim, value, period, bucket);
  }

  index(tenant: string, dim: Exclude<Dimension, 'tenant'>, period: Period, bucket: string) {
    return `${this.tenantBase(tenant)}ix:${DIM_CODE[dim]}:${PERIOD_CODE[period]}:${bucket}`;
  }

  dedupe(tenant: string, eventId: string): string {
    return `${this.tenantBase(tenant)}dd:${eventId}`;
  }
}

export function encodeId(value: string): string {
  return encodeURIComponent(value);
}

export function decodeId(value: string): string {
  return decodeURIComponent(value);
}
