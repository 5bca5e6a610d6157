import { loadMonitorConfig } from './monitor-config';

describe('guardrail-monitor configuration', () => {
  it('raises security events from severity low, in its own group', () => {
    const cfg = loadMonitorConfig({});
    expect(cfg.GUARDRAIL_MONITOR_MIN_SEVERITY).toBe('low');
    expect(cfg.GUARDRAIL_MONITOR_GROUP_ID).toBe('llmops-guardrail-monitor');
  });

  it("reads a webhook's key from its own environment, by the name the rule gives", () => {
    const cfg = loadMonitorConfig({ POLICY_HOOK_KEY: 'k-1' });
    expect(cfg.GUARDRAIL_SECRETS('POLICY_HOOK_KEY')).toBe('k-1');
    expect(cfg.GUARDRAIL_SECRETS('OTHER')).toBeUndefined();
  });

  it('refuses a minimum severity that is not one', () => {
    expect(() => loadMonitorConfig({ GUARDRAIL_MONITOR_MIN_SEVERITY: 'severe' })).toThrow(
      /GUARDRAIL_MONITOR_MIN_SEVERITY: .*expected one of info, low, medium, high, critical/,
    );
  });
});
