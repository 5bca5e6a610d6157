import { ConfigError } from '@llmops/config';
import { DEFAULT_DESTINATION_POLICIES } from '@llmops/pii';
import { loadScannerConfig } from './scanner-config';

const KEY = { PII_HMAC_KEY: 'k'.repeat(32) };

describe('pii-scanner configuration', () => {
  it('uses the default destination policies when PII_POLICIES is unset', () => {
    expect(loadScannerConfig(KEY).PII_POLICIES).toEqual(DEFAULT_DESTINATION_POLICIES);
  });

  it('takes per-destination, per-entity operators from PII_POLICIES', () => {
    const cfg = loadScannerConfig({
      ...KEY,
      PII_POLICIES: '{"external":{"default":"redact","byType":{"CREDIT_CARD":"mask"}}}',
    });
    expect(cfg.PII_POLICIES.external).toEqual({
      default: 'redact',
      byType: { CREDIT_CARD: 'mask' },
    });
    expect(cfg.PII_POLICIES.internal).toEqual(DEFAULT_DESTINATION_POLICIES.internal);
  });

  it.each([
    ['not JSON', '{external', /PII_POLICIES: .*JSON/],
    [
      'an unknown operator',
      '{"external":{"default":"shred"}}',
      /PII_POLICIES: external.default must be one of redact, placeholder/,
    ],
    [
      'an unknown entity type',
      '{"internal":{"default":"hash","byType":{"SHOE_SIZE":"drop"}}}',
      /PII_POLICIES: internal.byType has unknown type "SHOE_SIZE"/,
    ],
  ])('refuses PII_POLICIES with %s, naming the problem', (_name, value, message) => {
    expect(() => loadScannerConfig({ ...KEY, PII_POLICIES: value })).toThrow(ConfigError);
    expect(() => loadScannerConfig({ ...KEY, PII_POLICIES: value })).toThrow(message);
  });

  it('requires an HMAC key of at least 32 characters and never prints it', () => {
    let error: Error | undefined;
    try {
      loadScannerConfig({ PII_HMAC_KEY: 'short-secret' });
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(
      /PII_HMAC_KEY: must be at least 32 characters; got "<12 characters>"/,
    );
    expect(error?.message).not.toContain('short-secret');
  });
});
