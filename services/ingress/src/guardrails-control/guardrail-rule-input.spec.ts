import { expectedRevision, parseRuleBody } from './guardrail-rule-input';

const rule = {
  stage: 'input',
  check: { type: 'phrases', phrases: ['ignore previous instructions'] },
  action: 'block',
  severity: 'high',
};
const paths = (r: ReturnType<typeof parseRuleBody>) => (r.ok ? [] : r.problems.map((p) => p.path));

describe('parseRuleBody', () => {
  it("gives the rule the path's id, its defaults and the owner's tenant", () => {
    expect(parseRuleBody('no-injection', 'acme', rule)).toEqual({
      ok: true,
      rule: {
        ...rule,
        id: 'no-injection',
        scope: { tenant: 'acme' },
        timeout_ms: 50,
        on_error: 'fail_closed',
        revision: 1,
      },
    });
  });

  it('keeps the rest of the scope, and leaves the tenant out of a deployment-wide rule', () => {
    const scoped = { ...rule, scope: { apps: ['billing'] } };
    expect(parseRuleBody('r', 'acme', scoped)).toMatchObject({
      rule: { scope: { tenant: 'acme', apps: ['billing'] } },
    });
    expect(parseRuleBody('r', null, scoped)).toMatchObject({
      rule: { scope: { apps: ['billing'] } },
    });
    expect(parseRuleBody('r', 'acme', { ...rule, scope: { tenant: 'acme' } }).ok).toBe(true);
  });

  it.each([
    ['another tenant', 'acme', { ...rule, scope: { tenant: 'globex' } }, ['scope.tenant']],
    [
      'a tenant on a deployment-wide rule',
      null,
      { ...rule, scope: { tenant: 'acme' } },
      ['scope.tenant'],
    ],
    ['a revision', 'acme', { ...rule, revision: 4 }, ['revision']],
    ['another id', 'acme', { ...rule, id: 'other' }, ['id']],
  ])('refuses %s before checking the rule', (_what, owner, body, expected) => {
    expect(paths(parseRuleBody('r', owner, body))).toEqual(expected);
  });

  it('reports every problem the guardrails library finds, by its path in the rule', () => {
    const bad = parseRuleBody('r', 'acme', {
      ...rule,
      check: { type: 'regex', patern: 'x', must: 'not_match' },
      severity: 'extreme',
      colour: 'red',
    });
    expect(paths(bad)).toEqual(['check.pattern', 'check.patern', 'severity', 'colour']);
  });

  it('reports what only compiling finds: a pattern that can backtrack, a redact that cannot locate', () => {
    const redos = parseRuleBody('r', 'acme', {
      ...rule,
      check: { type: 'any', checks: [{ type: 'regex', pattern: '(a|a)*$', must: 'not_match' }] },
    });
    expect(redos).toMatchObject({
      ok: false,
      problems: [{ path: 'check.checks[0].pattern', message: expect.stringMatching(/backtrack/) }],
    });
    const redact = parseRuleBody('r', 'acme', {
      ...rule,
      action: 'redact',
      check: { type: 'length', unit: 'chars', max: 10 },
    });
    expect(paths(redact)).toEqual(['action']);
  });

  it('refuses an id that is not a rule id', () => {
    expect(paths(parseRuleBody('not ok!', 'acme', rule))).toEqual(['id']);
  });
});

describe('expectedRevision', () => {
  it.each([
    [undefined, undefined, undefined],
    ['3', undefined, 3],
    ['"3"', undefined, 3],
    ['W/"3"', '3', 3],
    [undefined, '0', 0],
  ])('reads If-Match %j and expected_revision %j as %j', (header, query, expected) => {
    expect(expectedRevision(header, query)).toBe(expected);
  });

  it.each([
    ['*', undefined, 'If-Match'],
    [undefined, 'two', 'expected_revision'],
    ['2', '3', 'expected_revision'],
  ])('refuses If-Match %j with expected_revision %j', (header, query, path) => {
    expect(expectedRevision(header, query)).toMatchObject({ problem: { path } });
  });
});
