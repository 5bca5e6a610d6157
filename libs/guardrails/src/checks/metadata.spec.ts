import type { GuardrailItem } from '../item';
import { checkSchema, type MetadataCheck } from '../rule-schema';
import { checkInput } from './check';
import { compileMetadata } from './metadata';

function compile(check: Omit<MetadataCheck, 'type'>) {
  const problems: string[] = [];
  const compiled = compileMetadata(
    { type: 'metadata', ...check },
    { path: 'rules[0].check', stage: 'input', problems, depth: 0 },
  );
  return { compiled, problems };
}

function metadata(check: Omit<MetadataCheck, 'type'>) {
  const { compiled, problems } = compile(check);
  if (compiled === null) throw new Error(problems.join('\n'));
  return (labels?: Record<string, string>) => {
    const item: GuardrailItem = {
      stage: 'input',
      text: 'hi',
      context: { tenant: 'acme' },
      ...(labels ? { metadata: labels } : {}),
    };
    return (
      compiled.run(checkInput([{ name: 'text', text: 'hi' }], undefined, undefined, item), false)
        ?.detail ?? null
    );
  };
}

describe('metadata', () => {
  it('needs every required key, and names the first one missing', () => {
    const check = metadata({ required: ['team', 'cost-center'] });
    expect(check({ team: 'billing', 'cost-center': 'cc-42' })).toBeNull();
    expect(check({ team: 'billing' })).toBe('metadata "cost-center" is missing');
    expect(check()).toBe('metadata "team" is missing');
  });

  it('counts an empty value as missing', () => {
    expect(metadata({ required: ['team'] })({ team: '' })).toBe('metadata "team" is missing');
  });

  it('checks values against a list or a pattern, naming the key but never the value', () => {
    const check = metadata({
      values: { env: ['prod', 'staging'], ticket: '^[A-Z]{2,6}-[0-9]{1,6}$' },
    });
    expect(check({ env: 'prod', ticket: 'OPS-123' })).toBeNull();
    const secret = 'c4n4ry-value';
    expect(check({ env: secret })).toBe('metadata "env" has a value the rule does not allow');
    expect(check({ env: 'prod', ticket: `OPS-1 ${secret}` })).toBe(
      'metadata "ticket" has a value the rule does not allow',
    );
  });

  it('lets a key that is only in values be absent', () => {
    expect(metadata({ values: { env: ['prod'] } })({})).toBeNull();
  });

  it('compares list values exactly (no case folding, no trimming)', () => {
    const check = metadata({ values: { env: ['prod'] } });
    expect(check({ env: 'PROD' })).not.toBeNull();
    expect(check({ env: 'prod ' })).not.toBeNull();
  });

  it('does not read inherited properties as metadata', () => {
    expect(metadata({ required: ['constructor'] })({})).toBe('metadata "constructor" is missing');
  });

  it('refuses unsafe or invalid patterns, keys that are not lower case and a check that asks nothing', () => {
    expect(compile({ values: { env: '^(a+)+$' } }).problems[0]).toMatch(
      /^rules\[0\]\.check\.values\["env"\]: can backtrack catastrophically/,
    );
    expect(checkSchema.safeParse({ type: 'metadata', values: { env: '(' } }).success).toBe(false);
    expect(checkSchema.safeParse({ type: 'metadata', required: ['Team'] }).success).toBe(false);
    expect(checkSchema.safeParse({ type: 'metadata' }).error?.issues[0]?.message).toBe(
      'needs required, values or both',
    );
  });
});
