import type { PriceTableEntry } from './price-book';

/**
 * The built-in price table: USD per million tokens, by provider and model,
 * each model with dated versions (a version applies to invocations that
 * started on or after its `from` date, UTC). Operators add or override
 * entries without a rebuild through `PRICING_FILE` (same shape, JSON).
 * Bump PRICE_TABLE_VERSION with every change of this file.
 */
export const PRICE_TABLE_VERSION = '2026-12-01';

export const BUILTIN_PRICES: PriceTableEntry[] = [
  {
    provider: 'openai',
    model: 'gpt-4o',
    versions: [{ from: '2024-10-01', input: '2.50', cached_input: '1.25', output: '10.00' }],
  },
  {
    provider: 'openai',
    model: 'gpt-4o-mini',
    versions: [{ from: '2024-07-18', input: '0.15', cached_input: '0.075', output: '0.60' }],
  },
  {
    provider: 'openai',
    model: 'gpt-4.1',
    versions: [{ from: '2025-04-14', input: '2.00', cached_input: '0.50', output: '8.00' }],
  },
  {
    provider: 'openai',
    model: 'o3',
    versions: [
      { from: '2025-04-16', input: '10.00', cached_input: '2.50', output: '40.00' },
      { from: '2025-06-10', input: '2.00', cached_input: '0.50', output: '8.00' },
    ],
  },
  {
    provider: 'openai',
    model: 'o4-mini',
    versions: [{ from: '2025-04-16', input: '1.10', cached_input: '0.275', output: '4.40' }],
  },
  {
    provider: 'openai',
    model: 'text-embedding-3-small',
    versions: [{ from: '2024-01-25', input: '0.02', output: '0' }],
  },
  {
    provider: 'anthropic',
    model: 'claude-sonnet-4',
    versions: [
      {
        from: '2025-05-22',
        input: '3.00',
        cached_input: '0.30',
        cache_write: '3.75',
        output: '15.00',
      },
    ],
  },
  {
    provider: 'anthropic',
    model: 'claude-opus-4',
    versions: [
      {
        from: '2025-05-22',
        input: '15.00',
        cached_input: '1.50',
        cache_write: '18.75',
        output: '75.00',
      },
    ],
  },
  {
    provider: 'anthropic',
    model: 'claude-3-5-haiku',
    versions: [
      {
        from: '2024-11-04',
        input: '0.80',
        cached_input: '0.08',
        cache_write: '1.00',
        output: '4.00',
      },
    ],
  },
  {
    provider: 'gcp.gemini',
    model: 'gemini-2.5-pro',
    versions: [{ from: '2025-06-17', input: '1.25', cached_input: '0.31', output: '10.00' }],
  },
  {
    provider: 'gcp.gemini',
    model: 'gemini-2.5-flash',
    versions: [
      {
        from: '2025-06-17',
        input: '0.30',
        cached_input: '0.075',
        output: '2.50',
        reasoning: '2.50',
      },
    ],
  },
  {
    provider: 'deepseek',
    model: 'deepseek-reasoner',
    versions: [
      {
        from: '2025-01-20',
        input: '0.55',
        cached_input: '0.14',
        output: '2.19',
        reasoning: '2.19',
      },
    ],
  },
];
