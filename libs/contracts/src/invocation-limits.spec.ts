import { invocationCodec } from './codec';
import type { Invocation } from './generated/schemas';
import { INVOCATION_LIMITS as L, invocationLimitErrors, textProblem } from './invocation-limits';

const NOW = Date.UTC(2025, 10, 24, 16, 0, 0);

function record(overrides: Record<string, unknown> = {}): Invocation {
  return invocationCodec.fromJson({
    event_id: '0b7c3f2e-1a43-4c52-9f1d-2d1f2e3a4b5c',
    tenant_id: 'acme',
    app_id: 'support-bot',
    trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
    operation: 'chat',
    provider_name: 'openai',
    request_model: 'gpt-4o',
    start_time_ms: NOW - 1_000,
    ...overrides,
  });
}

const paths = (overrides: Record<string, unknown>) =>
  invocationLimitErrors(record(overrides), NOW).map((e) => e.path);

describe('invocationLimitErrors', () => {
  it('finds nothing wrong with a plain record', () => {
    expect(invocationLimitErrors(record(), NOW)).toEqual([]);
  });

  it('names the limit in its message', () => {
    const labels = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v']));
    expect(invocationLimitErrors(record({ labels }), NOW)).toEqual([
      { path: 'labels', message: `must hold at most ${L.maxLabels} labels (has 65)` },
    ]);
  });

  it('never puts a malformed label key into a path', () => {
    const errors = invocationLimitErrors(
      record({ labels: { ok: 'v', 'mail jane.doe@example.com': 'v\u0000' } }),
      NOW,
    );
    expect(errors.map((e) => e.path)).toEqual(['labels[#1]', 'labels[#1]']);
    expect(JSON.stringify(errors)).not.toContain('jane');
  });

  it('checks the text of every string at any depth', () => {
    expect(
      paths({
        input_messages: [
          { role: 'user', content: 'ok' },
          { role: 'user', content: '\ud800' },
        ],
        tool_calls: [{ name: 'search', arguments: '{"q":"\u0000"}' }],
        retrievals: [{ content: 'x\udfff' }],
      }),
    ).toEqual(['input_messages[1].content', 'tool_calls[0].arguments', 'retrievals[0].content']);
  });

  it('bounds cache writes by the input tokens and the gateway attempts by count and size', () => {
    expect(
      paths({
        usage: { input_tokens: 10, cached_input_tokens: 6, cache_creation_input_tokens: 5 },
      }),
    ).toEqual(['usage.cache_creation_input_tokens']);
    const attempt = { upstream: 'u', model: 'm', outcome: 'ok', duration_ms: 1 };
    expect(
      paths({
        gateway: {
          route: 'm',
          upstream: 'x'.repeat(200),
          upstream_model: 'm',
          attempts: Array.from({ length: 17 }, () => attempt),
          usage_source: 'reported',
        },
      }),
    ).toEqual(['gateway.upstream', 'gateway.attempts']);
  });

  it('skips the text walk only when the caller vouches for the text, and still checks everything else', () => {
    const bad = record({
      input_messages: [{ role: 'user', content: '\ud800' }],
      app_id: 'bad app',
    });
    expect(invocationLimitErrors(bad, NOW).map((e) => e.path)).toEqual([
      'app_id',
      'input_messages[0].content',
    ]);
    expect(
      invocationLimitErrors(bad, NOW, { textKnownWellFormed: true }).map((e) => e.path),
    ).toEqual(['app_id']);
  });
});

describe('textProblem', () => {
  it.each([
    ['plain text', 'hello'],
    ['a surrogate pair', 'smile \ud83d\ude00'],
    ['the empty string', ''],
  ])('accepts %s', (_what, s) => {
    expect(textProblem(s)).toBeUndefined();
  });

  it.each([
    ['a NUL', 'a\u0000b', /NUL character \(U\+0000\) at character 1/],
    ['a lone high surrogate', 'ab\ud83d', /unpaired UTF-16 surrogate at character 2/],
    ['a lone low surrogate', '\ude00ab', /unpaired UTF-16 surrogate at character 0/],
    ['two high surrogates', '\ud83d\ud83d', /unpaired UTF-16 surrogate at character 0/],
  ])('refuses %s', (_what, s, message) => {
    expect(textProblem(s)).toMatch(message);
  });
});
