import { GuardrailConfigError } from './errors';
import { loadRuleFile } from './load-rules';

const RULE = `
id: no-injection
stage: input
check: { type: phrases, phrases: [ignore previous instructions] }
action: block
severity: high
`;

describe('loadRuleFile', () => {
  it('reads a file of one rule as a rules file of that rule', () => {
    expect(loadRuleFile(RULE, 'rule.yaml')).toMatchObject([
      { id: 'no-injection', scope: {}, revision: 1 },
    ]);
  });

  it('reads a rules file as loadRules does', () => {
    const file = `rules:\n${RULE.trim()
      .split('\n')
      .map((l, i) => `${i === 0 ? '  - ' : '    '}${l}`)
      .join('\n')}`;
    expect(loadRuleFile(file, 'rules.yaml').map((r) => r.id)).toEqual(['no-injection']);
  });

  it('reports the problems of a single rule by their path in a rules file', () => {
    expect(() => loadRuleFile({ id: 'x', stage: 'input' }, 'rule.json')).toThrow(
      GuardrailConfigError,
    );
    expect(() => loadRuleFile({ id: 'x', stage: 'input' }, 'rule.json')).toThrow(
      /rules\[0\]\.check: /,
    );
  });
});
