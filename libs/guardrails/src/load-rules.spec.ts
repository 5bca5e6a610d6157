import { GuardrailConfigError } from './errors';
import { loadRules } from './load-rules';

function problemsOf(input: string | object): readonly string[] {
  try {
    loadRules(input, 'rules.yaml');
  } catch (err) {
    if (err instanceof GuardrailConfigError) return err.problems;
    throw err;
  }
  throw new Error('the rules loaded');
}

const YAML_RULES = `
rules:
  - id: no-injection
    description: Known prompt-injection phrases
    stage: input
    check: { type: phrases, phrases: [ignore previous instructions] }
    action: block
    severity: high
  - id: answer-is-json
    stage: output
    scope: { apps: [billing], models: ['gpt-4o*'], endpoint_kind: external }
    check: { type: json }
    action: warn
    severity: low
    timeout_ms: 10
    on_error: fail_open
    revision: 3
`;

describe('loadRules', () => {
  it('reads YAML and fills in the defaults', () => {
    const [first, second] = loadRules(YAML_RULES, 'rules.yaml');
    expect(first).toEqual({
      id: 'no-injection',
      description: 'Known prompt-injection phrases',
      stage: 'input',
      scope: {},
      check: { type: 'phrases', phrases: ['ignore previous instructions'] },
      action: 'block',
      severity: 'high',
      timeout_ms: 50,
      on_error: 'fail_closed',
      revision: 1,
    });
    expect(second).toMatchObject({ timeout_ms: 10, on_error: 'fail_open', revision: 3 });
    expect(second?.scope).toEqual({
      apps: ['billing'],
      models: ['gpt-4o*'],
      endpoint_kind: 'external',
    });
  });

  it('reads JSON text and already parsed objects alike', () => {
    const rules = {
      rules: [
        {
          id: 'short',
          stage: 'output',
          check: { type: 'length', unit: 'words', max: 100 },
          action: 'log',
          severity: 'info',
        },
      ],
    };
    expect(loadRules(JSON.stringify(rules), 'rules.json')).toEqual(loadRules(rules, 'object'));
  });

  it('accepts an empty rule list', () => {
    expect(loadRules('rules: []', 'empty.yaml')).toEqual([]);
  });

  it('lists every problem of the file at once, each with its path', () => {
    const problems = problemsOf({
      rules: [
        {
          id: 'has space',
          stage: 'input',
          check: { type: 'json' },
          action: 'block',
          severity: 'high',
        },
        {
          id: 'ok-1',
          stage: 'prompt',
          check: { type: 'json', strict: true },
          action: 'deny',
          severity: 'high',
          timeout: 5,
        },
        {
          id: 'ok-2',
          stage: 'output',
          check: { type: 'regex', pattern: '(', must: 'not_match' },
          action: 'block',
          severity: 'low',
        },
        { id: 'ok-3', stage: 'output', check: { type: 'nope' }, action: 'block', severity: 'low' },
        {
          id: 'ok-4',
          stage: 'output',
          check: { type: 'length', unit: 'chars', min: 5, max: 1 },
          action: 'block',
          severity: 'urgent',
        },
        {
          id: 'ok-5',
          stage: 'output',
          scope: { models: ['gpt-*-mini'], apps: [] },
          check: { type: 'json' },
          action: 'block',
          severity: 'low',
        },
      ],
    });
    expect(problems).toEqual([
      'rules[0].id: must be 1 to 64 characters of A-Z, a-z, 0-9, ".", "_" and "-"',
      'rules[1].stage: invalid option: expected one of "input"|"output"|"tool_call"|"retrieval"',
      'rules[1].check: unknown field "strict"',
      'rules[1].action: invalid option: expected one of "block"|"redact"|"warn"|"log"',
      'rules[1]: unknown field "timeout"',
      'rules[2].check.pattern: is not a valid regular expression',
      expect.stringMatching(
        /^rules\[3\]\.check\.type: invalid discriminator value\. Expected 'regex' \| 'phrases' \| /,
      ),
      'rules[4].check.min: is greater than max',
      'rules[4].severity: invalid option: expected one of "info"|"low"|"medium"|"high"|"critical"',
      'rules[5].scope.apps: must list at least one name',
      'rules[5].scope.models[0]: may hold * only at its end (a prefix)',
    ]);
  });

  it('lists what only compiling finds, for every rule, once the fields are right', () => {
    const problems = problemsOf(`
rules:
  - { id: a, stage: output, check: { type: regex, pattern: '(a+)+$', must: not_match }, action: block, severity: high }
  - { id: a, stage: output, check: { type: tool_allowlist, tools: [x] }, action: block, severity: high }
  - { id: c, stage: output, check: { type: length, unit: chars, max: 5 }, action: redact, severity: low }
  - { id: d, stage: output, check: { type: json, schema: { type: strin } }, action: block, severity: low }
`);
    expect(problems).toHaveLength(5);
    expect(problems[0]).toMatch(/^rules\[0\]\.check\.pattern: can backtrack catastrophically/);
    expect(problems.slice(1)).toEqual([
      'rules[1].id: is also the id of rules[0]',
      'rules[1].check: tool_allowlist applies only to rules of stage tool_call',
      'rules[2].action: redact needs a check that locates what it finds (regex with must: not_match, phrases, urls, pii, code with must: absent, leakage, or all / any of those)',
      expect.stringMatching(/^rules\[3\]\.check\.schema: is not a valid JSON Schema: .*type/),
    ]);
  });

  it('refuses regex flags that make a pattern stateful or unanalysable', () => {
    for (const flags of ['g', 'iy', 'v'])
      expect(
        problemsOf({
          rules: [
            {
              id: 'r',
              stage: 'input',
              check: { type: 'regex', pattern: 'x', flags, must: 'not_match' },
              action: 'block',
              severity: 'low',
            },
          ],
        }),
      ).toEqual([
        'rules[0].check.flags: may hold only i, m, s and u (g and y make a regular expression stateful; the ReDoS analysis does not know v)',
      ]);
  });

  it('reports YAML syntax errors with their line and column', () => {
    const problems = problemsOf('rules:\n  - id: a\n    id: b\n');
    expect(problems).toEqual(['(syntax): Map keys must be unique at line 3, column 5']);
    expect(problemsOf('rules: [\n')[0]).toMatch(/^\(syntax\): .* at line \d+, column \d+$/);
    expect(problemsOf('rules: *nowhere')[0]).toMatch(/^\(syntax\): /);
  });

  it('refuses a document that is not { rules: [...] }', () => {
    expect(problemsOf('- id: a')).toEqual(['(document): expected object, received array']);
    expect(problemsOf('rule: []')).toEqual([
      'rules: expected array, received undefined',
      '(document): unknown field "rule"',
    ]);
  });

  it('throws an error that names the source and is not worth retrying', () => {
    try {
      loadRules('rules: 1', 'tenant-acme/guardrails.yaml');
      throw new Error('loaded');
    } catch (err) {
      expect(err).toBeInstanceOf(GuardrailConfigError);
      const e = err as GuardrailConfigError;
      expect(e.retriable).toBe(false);
      expect(e.source).toBe('tenant-acme/guardrails.yaml');
      expect(e.message).toBe(
        'invalid guardrail rules in tenant-acme/guardrails.yaml:\n  - rules: expected array, received number',
      );
    }
  });

  it('bounds YAML alias expansion', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
    ].join('\n');
    expect(problemsOf(bomb)[0]).toMatch(/^\(syntax\): .*alias/i);
  });
});
