import { PriceBook } from './price-book';
import { picoToUsd, usdToMicro } from './money';
import { windowOf } from './windows';

describe('PriceBook', () => {
  const book = new PriceBook(undefined, [
    {
      provider: 'x',
      model: 'm',
      versions: [
        { from: '2026-01-01', input: '3', output: '15' },
        { from: '2026-03-15', input: '2.50', output: '10', cached_input: '0.25', reasoning: '12' },
      ],
    },
  ]);

  it('applies a price change from its effective date on (UTC)', () => {
    expect(book.price('x', ['m'], Date.UTC(2026, 2, 14, 23, 59, 59, 999))!.input).toBe(3_000_000n);
    expect(book.price('x', ['m'], Date.UTC(2026, 2, 15))!.input).toBe(2_500_000n);
    expect(book.price('x', ['m'], Date.UTC(2025, 11, 31))).toBeUndefined();
  });

  it('computes cost in integer picodollars from cached and reasoning prices', () => {
    const p = book.price('x', ['m'], Date.UTC(2026, 3, 1))!;
    const usage = {
      input_tokens: 1_000,
      cached_input_tokens: 400,
      output_tokens: 300,
      reasoning_tokens: 100,
    };
    // 600 × 2.5 + 400 × 0.25 + 200 × 10 + 100 × 12 = 4,800 µ$ per million = 0.0048 $
    expect(PriceBook.cost(usage, p)).toBe(4_800_000_000n);
    expect(picoToUsd(PriceBook.cost(usage, p))).toBe('0.0048');
  });

  it('prices prompt-cache writes apart from reads and plain input', () => {
    const sonnet = new PriceBook().price('anthropic', ['claude-sonnet-4-5'], Date.UTC(2026, 0, 1))!;
    const usage = {
      input_tokens: 1_000_000,
      cached_input_tokens: 500_000,
      cache_creation_input_tokens: 200_000,
      output_tokens: 0,
      reasoning_tokens: 0,
    };
    // 300,000 × 3.00 + 500,000 × 0.30 + 200,000 × 3.75 per million = 0.90 + 0.15 + 0.75 $
    expect(picoToUsd(PriceBook.cost(usage, sonnet))).toBe('1.8');
    // Without a cache-write price, writes cost what input costs.
    const p = book.price('x', ['m'], Date.UTC(2026, 3, 1))!;
    expect(PriceBook.cost({ ...usage, cached_input_tokens: 0 }, p)).toBe(
      PriceBook.cost({ ...usage, cached_input_tokens: 0, cache_creation_input_tokens: 0 }, p),
    );
  });

  it('finds a dated response model by its family and knows no unknown model', () => {
    expect(book.price('openai', ['gpt-4o-mini-2024-07-18'], Date.now())!.model).toBe('gpt-4o-mini');
    expect(book.price('openai', [null, 'gpt-4o-2024-08-06'], Date.now())!.model).toBe('gpt-4o');
    expect(book.price('openai', ['no-such-model'], Date.now())).toBeUndefined();
  });

  it('parses USD amounts exactly and refuses more than 6 decimals', () => {
    expect(usdToMicro('0.075')).toBe(75_000n);
    expect(usdToMicro(2.5)).toBe(2_500_000n);
    expect(() => usdToMicro('0.0000001')).toThrow(/at most 6 decimals/);
  });
});

describe('windowOf', () => {
  it('cuts calendar months and days in UTC', () => {
    const last = Date.UTC(2026, 0, 31, 23, 59, 59, 999);
    expect(windowOf('month', last).label).toBe('2026-01');
    expect(windowOf('month', last + 1).label).toBe('2026-02');
    expect(windowOf('day', last + 1)).toMatchObject({ bucket: '20260201', startMs: last + 1 });
    expect(windowOf('month', Date.UTC(2026, 1, 10)).endMs).toBe(Date.UTC(2026, 2, 1));
  });

  it('answers each time with its own window, also after a later or earlier one was asked', () => {
    const midnight = Date.UTC(2026, 5, 30, 0, 0, 0, 0);
    for (const [at, bucket] of [
      [midnight, '20260630'],
      [midnight - 1, '20260629'],
      [midnight + 86_399_999, '20260630'],
      [midnight + 86_400_000, '20260701'],
      [midnight, '20260630'],
    ] as const) {
      expect(windowOf('day', at).bucket).toBe(bucket);
    }
    expect(windowOf('hour', midnight - 1).label).toBe('2026-06-29T23Z');
    expect(windowOf('minute', midnight).label).toBe('2026-06-30T00:00Z');
    expect(Object.isFrozen(windowOf('month', midnight))).toBe(true);
  });
});
