import { GuardrailEngine, loadRules } from '@llmops/guardrails';
import type { HookCall } from './call-hooks';
import { GuardrailHook } from './guardrail-hook';

const engineBlocking = (phrase: string) =>
  new GuardrailEngine(
    loadRules(
      {
        rules: [
          {
            id: `no-${phrase}`,
            stage: 'output',
            check: { type: 'phrases', phrases: [phrase] },
            action: 'block',
            severity: 'high',
          },
        ],
      },
      'test',
    ),
  );

const attempt = (tenant: string) =>
  ({
    tenant,
    caller: { appId: 'app' },
    model: 'm',
    target: { upstream: { endpointKind: 'internal' } },
  }) as unknown as HookCall;

describe('GuardrailHook', () => {
  it('judges an attempt by the engine of its tenant when it began, even after the rules changed', () => {
    let current = engineBlocking('alpha');
    const hook = new GuardrailHook(() => current);
    const call = attempt('acme');
    void hook.before(call, () => []);
    current = engineBlocking('beta');
    expect(hook.during(call, 'alpha')?.block).toBeDefined();
    expect(hook.during(call, 'beta')?.block).toBeUndefined();
    const next = attempt('acme');
    void hook.before(next, () => []);
    expect(hook.during(next, 'beta')?.block).toBeDefined();
  });

  it("asks for the engine of the call's tenant, and does nothing where no rule applies", () => {
    const asked: string[] = [];
    const hook = new GuardrailHook((tenant) => {
      asked.push(tenant);
      return undefined;
    });
    const call = attempt('globex');
    expect(hook.before(call, () => [])).toBeUndefined();
    expect(hook.during(call, 'alpha')).toBeUndefined();
    expect(asked).toEqual(['globex']);
  });
});
