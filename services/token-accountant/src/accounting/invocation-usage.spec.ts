import { invocationCodec, type Invocation } from '@llmops/contracts';
import { PriceBook, picoToUsd } from '@llmops/pricing';
import { InvalidUsageError, toCountable } from './invocation-usage';

function invocation(usage: Partial<Invocation['usage']>): Invocation {
  return invocationCodec.fromJson({
    event_id: '0b7c3f2e-1a43-4c52-9f1d-2d1f2e3a4b5c',
    tenant_id: 'acme',
    app_id: 'support-bot',
    trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
    operation: 'chat',
    provider_name: 'anthropic',
    request_model: 'claude-sonnet-4-5',
    start_time_ms: Date.UTC(2026, 0, 1),
    received_at_ms: Date.UTC(2026, 0, 1),
    usage,
  });
}

describe('toCountable', () => {
  const prices = new PriceBook();

  it('prices prompt-cache writes at the cache-write price and reads at the cached price', () => {
    const c = toCountable(
      invocation({
        input_tokens: 1_000_000,
        cached_input_tokens: 500_000,
        cache_creation_input_tokens: 200_000,
        output_tokens: 100_000,
      }),
      prices,
    );
    // 300,000 × $3 + 500,000 × $0.30 + 200,000 × $3.75 + 100,000 × $15, per million
    expect(picoToUsd(c.cost)).toBe('3.3');
    expect(c.input_tokens).toBe(1_000_000);
  });

  it('refuses cache reads and writes that add up to more than the input', () => {
    expect(() =>
      toCountable(
        invocation({ input_tokens: 10, cached_input_tokens: 6, cache_creation_input_tokens: 5 }),
        prices,
      ),
    ).toThrow(InvalidUsageError);
  });
});
