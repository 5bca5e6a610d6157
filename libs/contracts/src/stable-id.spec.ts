import { stableHexId, stableUuid } from './stable-id';

describe('stable ids', () => {
  // Values the services wrote before the schemes moved here: a change would break every dedupe.
  it('keeps the UUIDs the token-accountant has always written', () => {
    expect(stableUuid('budget-event', 'acme', 'b-1', 3, '2026-12', 80)).toBe(
      '801cf8e7-f8fd-5bf3-8067-2e6ea24faa84',
    );
  });

  it('keeps the hex ids the pii-scanner has always written', () => {
    expect(stableHexId('llmops.pii.external-exposure', 'acme', 'ev-1')).toBe(
      '13722845d47e06d1cdae48185106185c',
    );
    expect(stableHexId('ev-1', 'input_messages[0].content', 4, 20, 'EMAIL')).toBe(
      '612cd54249c922dd637deb90816db401',
    );
  });

  it('tells apart parts that concatenate to the same text', () => {
    expect(stableUuid('a', 'bc')).not.toBe(stableUuid('ab', 'c'));
    expect(stableHexId('a', 'bc')).not.toBe(stableHexId('ab', 'c'));
  });

  it('gives a version 5, RFC 4122 variant UUID', () => {
    expect(stableUuid('x')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
