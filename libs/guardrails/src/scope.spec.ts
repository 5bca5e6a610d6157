import { compileScope } from './scope';

const ctx = { tenant: 'acme', app_id: 'billing', agent_id: 'a1', model: 'gpt-4o-mini' } as const;

describe('compileScope', () => {
  it('matches every call when empty', () => {
    expect(compileScope({})(ctx)).toBe(true);
    expect(compileScope({})({ tenant: 'other' })).toBe(true);
  });

  it('requires every field it names to match', () => {
    const scope = compileScope({ tenant: 'acme', apps: ['billing', 'crm'], agents: ['a1'] });
    expect(scope(ctx)).toBe(true);
    expect(scope({ ...ctx, tenant: 'globex' })).toBe(false);
    expect(scope({ ...ctx, app_id: 'web' })).toBe(false);
    expect(scope({ ...ctx, agent_id: 'a2' })).toBe(false);
  });

  it('does not match a call that lacks a field the scope names', () => {
    expect(compileScope({ agents: ['a1'] })({ tenant: 'acme' })).toBe(false);
    expect(compileScope({ models: ['*'] })({ tenant: 'acme' })).toBe(false);
  });

  it('reads models ending in * as prefixes, others as exact names', () => {
    const scope = compileScope({ models: ['gpt-4o*', 'claude-sonnet-4'] });
    expect(scope(ctx)).toBe(true);
    expect(scope({ ...ctx, model: 'gpt-4o' })).toBe(true);
    expect(scope({ ...ctx, model: 'claude-sonnet-4' })).toBe(true);
    expect(scope({ ...ctx, model: 'claude-sonnet-4-5' })).toBe(false);
    expect(scope({ ...ctx, model: 'gpt-4' })).toBe(false);
  });

  it('takes a call without endpoint_kind as external, the record’s default', () => {
    expect(compileScope({ endpoint_kind: 'external' })(ctx)).toBe(true);
    expect(compileScope({ endpoint_kind: 'internal' })(ctx)).toBe(false);
    expect(compileScope({ endpoint_kind: 'internal' })({ ...ctx, endpoint_kind: 'internal' })).toBe(
      true,
    );
  });
});
