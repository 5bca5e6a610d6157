import type { GuardrailStage } from '@llmops/contracts';
import type { GuardrailItem } from '../item';
import { checkSchema, type ModelCheck } from '../rule-schema';
import { checkInput } from './check';
import { compileModel } from './model';

function compile(check: Omit<ModelCheck, 'type'>, stage: GuardrailStage = 'input') {
  const problems: string[] = [];
  const compiled = compileModel(
    { type: 'model', ...check },
    { path: 'rules[0].check', stage, problems, depth: 0 },
  );
  return { compiled, problems };
}

function model(check: Omit<ModelCheck, 'type'>) {
  const { compiled, problems } = compile(check);
  if (compiled === null) throw new Error(problems.join('\n'));
  return (name?: string) => {
    const item: GuardrailItem = {
      stage: 'input',
      text: 'hi',
      context: { tenant: 'acme', ...(name !== undefined ? { model: name } : {}) },
    };
    return (
      compiled.run(checkInput([{ name: 'text', text: 'hi' }], undefined, undefined, item), false)
        ?.detail ?? null
    );
  };
}

describe('model', () => {
  it('allows the listed models, exactly or by prefix, and names any other', () => {
    const check = model({ allow: ['gpt-4o*', 'claude-sonnet-4'] });
    expect(check('gpt-4o')).toBeNull();
    expect(check('gpt-4o-mini-2024-07-18')).toBeNull();
    expect(check('claude-sonnet-4')).toBeNull();
    expect(check('claude-sonnet-4-5')).toBe('model "claude-sonnet-4-5" is not in the allow list');
    expect(check('gpt-3.5-turbo')).toBe('model "gpt-3.5-turbo" is not in the allow list');
  });

  it('denies the listed models, and deny wins over allow', () => {
    const check = model({ allow: ['gpt-4o*'], deny: ['gpt-4o-audio*', 'gpt-4o-realtime-preview'] });
    expect(check('gpt-4o-audio-preview')).toBe('model "gpt-4o-audio-preview" is denied (deny[0])');
    expect(check('gpt-4o-realtime-preview')).toBe(
      'model "gpt-4o-realtime-preview" is denied (deny[1])',
    );
    expect(check('gpt-4o-realtime-preview-2')).toBeNull();
  });

  it('compares case-insensitively, so a capitalised name does not slip past a deny', () => {
    const check = model({ deny: ['o1*'] });
    expect(check('O1-PREVIEW')).toBe('model "O1-PREVIEW" is denied (deny[0])');
  });

  it('with an allow list, refuses a call that names no model; with a deny list only, lets it pass', () => {
    expect(model({ allow: ['gpt-4o'] })()).toBe(
      'the call names no model, and the rule has an allow list',
    );
    expect(model({ allow: ['gpt-4o'] })('')).not.toBeNull();
    expect(model({ deny: ['gpt-4o'] })()).toBeNull();
  });

  it('does not treat a prefix entry as a substring or a pattern', () => {
    const check = model({ allow: ['gpt-4o*'] });
    expect(check('my-gpt-4o')).not.toBeNull();
    expect(model({ allow: ['gpt-4.1'] })('gpt-4x1')).not.toBeNull();
  });

  it('shortens a long model name in the detail', () => {
    expect(model({ allow: ['a'] })(`x${'y'.repeat(500)}`)?.length).toBeLessThan(120);
  });

  it('applies only to input rules, and needs allow or deny with * only at the end', () => {
    expect(compile({ allow: ['gpt-4o'] }, 'output').problems).toEqual([
      'rules[0].check: model applies only to rules of stage input',
    ]);
    expect(checkSchema.safeParse({ type: 'model' }).error?.issues[0]?.message).toBe(
      'needs allow, deny or both',
    );
    expect(checkSchema.safeParse({ type: 'model', allow: ['gpt-*-mini'] }).success).toBe(false);
    expect(checkSchema.safeParse({ type: 'model', allow: [] }).success).toBe(false);
  });
});
