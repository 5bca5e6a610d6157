import { readFileSync } from 'node:fs';
import { usdToMicro } from './money';
import { BUILTIN_PRICES } from './price-table';

/** One dated price of a model, USD per million tokens as decimal strings (exact). */
export interface PriceVersion {
  /** First UTC day (YYYY-MM-DD) the price applies to, by the invocation's start time. */
  from: string;
  input: string;
  output: string;
  /** Tokens read from the prompt cache. @default input */
  cached_input?: string;
  /** Tokens written to the prompt cache (Anthropic: 1.25 × input for the 5-minute cache). @default input */
  cache_write?: string;
  /** Only where the provider prices reasoning tokens apart. @default output */
  reasoning?: string;
}

export interface PriceTableEntry {
  provider: string;
  model: string;
  versions: PriceVersion[];
}

/** Micro-dollars per million tokens, i.e. picodollars per token. */
export interface ModelPrice {
  provider: string;
  model: string;
  from: string;
  input: bigint;
  output: bigint;
  cachedInput: bigint;
  cacheWrite: bigint;
  reasoning: bigint;
}

export interface TokenUsage {
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  reasoning_tokens: number;
  /** Part of input_tokens, like cached_input_tokens. @default 0 */
  cache_creation_input_tokens?: number;
}

interface Dated extends ModelPrice {
  fromMs: number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Prices of every known model with their effective dates. Lookup takes the
 * response model first (what actually ran), then the request model, each
 * exactly or by the longest table name it starts with followed by '-'
 * (`gpt-4o-2024-08-06` → `gpt-4o`).
 */
export class PriceBook {
  private readonly byModel = new Map<string, Dated[]>();

  constructor(entries: PriceTableEntry[] = BUILTIN_PRICES, overrides: PriceTableEntry[] = []) {
    for (const e of [...entries, ...overrides]) this.add(e);
  }

  /** The price in force at `atMs` (UTC), or undefined for an unknown model. */
  price(provider: string, models: Array<string | null | undefined>, atMs: number) {
    for (const model of models) {
      if (!model) continue;
      const versions = this.versions(provider, model);
      if (!versions) continue;
      let found: Dated | undefined;
      for (const v of versions) if (v.fromMs <= atMs) found = v;
      if (found) return found as ModelPrice;
    }
    return undefined;
  }

  /**
   * Cost in picodollars (1e-12 USD), exact: input tokens include the cache
   * reads and writes and output tokens include reasoning ones, as in the event contract.
   */
  static cost(usage: TokenUsage, p: ModelPrice): bigint {
    const cached = BigInt(usage.cached_input_tokens);
    const written = BigInt(usage.cache_creation_input_tokens ?? 0);
    const reasoning = BigInt(usage.reasoning_tokens);
    return (
      (BigInt(usage.input_tokens) - cached - written) * p.input +
      cached * p.cachedInput +
      written * p.cacheWrite +
      (BigInt(usage.output_tokens) - reasoning) * p.output +
      reasoning * p.reasoning
    );
  }

  private versions(provider: string, model: string): Dated[] | undefined {
    const exact = this.byModel.get(`${provider}\u0000${model}`);
    if (exact) return exact;
    let best: Dated[] | undefined;
    let bestLen = 0;
    for (const [key, versions] of this.byModel) {
      const [p, m] = key.split('\u0000') as [string, string];
      if (p === provider && m.length > bestLen && model.startsWith(`${m}-`)) {
        best = versions;
        bestLen = m.length;
      }
    }
    return best;
  }

  private add(e: PriceTableEntry): void {
    const key = `${e.provider}\u0000${e.model}`;
    const list = [...(this.byModel.get(key) ?? [])];
    for (const v of e.versions) {
      if (!DAY.test(v.from) || Number.isNaN(Date.parse(`${v.from}T00:00:00Z`))) {
        throw new RangeError(`${e.provider}/${e.model}: 'from' ${v.from} is not a YYYY-MM-DD date`);
      }
      const parsed: Dated = {
        provider: e.provider,
        model: e.model,
        from: v.from,
        fromMs: Date.parse(`${v.from}T00:00:00Z`),
        input: usdToMicro(v.input),
        output: usdToMicro(v.output),
        cachedInput: usdToMicro(v.cached_input ?? v.input),
        cacheWrite: usdToMicro(v.cache_write ?? v.input),
        reasoning: usdToMicro(v.reasoning ?? v.output),
      };
      // A version with the same date replaces the earlier one (an override corrects a price).
      const at = list.findIndex((x) => x.from === v.from);
      if (at >= 0) list[at] = parsed;
      else list.push(parsed);
    }
    list.sort((a, b) => a.fromMs - b.fromMs);
    this.byModel.set(key, list);
  }
}

/** Reads a JSON price file (an array of PriceTableEntry) of operator overrides. */
export function loadPriceFile(file: string): PriceTableEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read the price file ${file}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  if (!Array.isArray(parsed)) {
    throw new Error(`the price file ${file} must hold a JSON array of {provider, model, versions}`);
  }
  for (const [i, e] of parsed.entries()) {
    const ok =
      typeof e === 'object' &&
      e !== null &&
      typeof (e as PriceTableEntry).provider === 'string' &&
      typeof (e as PriceTableEntry).model === 'string' &&
      Array.isArray((e as PriceTableEntry).versions);
    if (!ok)
      throw new Error(`the price file ${file}: entry [${i}] needs provider, model, versions`);
  }
  const entries = parsed as PriceTableEntry[];
  new PriceBook([], entries); // validates every amount and date now, not at the first event
  return entries;
}
