import type { GuardrailStage } from '@llmops/contracts';
import type { GuardrailToolHistory } from '../item';
import { checkSchema, type ToolLimitsCheck } from '../rule-schema';
import { checkInput } from './check';
import { compileToolLimits } from './tool-limits';

function compile(check: Omit<ToolLimitsCheck, 'type'>, stage: GuardrailStage = 'tool_call') {
  const problems: string[] = [];
  const compiled = compileToolLimits(
    { type: 'tool_limits', ...check },
    { path: 'rules[0].check', stage, problems, depth: 0 },
  );
  return { compiled, problems };
}

function limits(check: Omit<ToolLimitsCheck, 'type'>) {
  const { compiled, problems } = compile(check);
  if (compiled === null) throw new Error(problems.join('\n'));
  return (name: string, history?: Partial<GuardrailToolHistory>) => {
    const tool_history = history && { trace: [], session: [], ...history };
    const toolCall = { name, arguments: '{}' };
    const item = {
      stage: 'tool_call' as const,
      tool_call: toolCall,
      tool_history,
      context: { tenant: 'acme' },
    };
    return compiled.run(checkInput([], toolCall, undefined, item), false)?.detail ?? null;
  };
}

const times = (n: number, tool: string) => new Array<string>(n).fill(tool);

describe('tool_limits', () => {
  it('counts this call with the history: the call that goes over the limit violates', () => {
    const check = limits({ max_per_trace: 3 });
    expect(check('search', { trace: times(2, 'search') })).toBeNull();
    expect(check('search', { trace: times(3, 'search') })).toBe(
      'tool calls in the trace would be 4 with this one, over max_per_trace 3',
    );
    expect(check('search', { trace: [] })).toBeNull();
  });

  it('counts only the listed tools, by name, prefix or *', () => {
    const check = limits({ max_per_trace: 2, tools: ['send_email', 'db_*'] });
    const trace = ['send_email', 'search', 'search', 'db_write'];
    expect(check('db_read', { trace })).toBe(
      'calls of the counted tools in the trace would be 3 with this one, over max_per_trace 2',
    );
    expect(check('search', { trace })).toBeNull(); // not counted: it cannot go over
    expect(check('send_email', { trace: ['search', 'db', 'send_emails'] })).toBeNull();
    expect(limits({ max_per_trace: 1, tools: ['*'] })('x', { trace: ['y'] })).not.toBeNull();
  });

  it('checks the session and the trace apart, each against its own limit', () => {
    const check = limits({ max_per_trace: 5, max_per_session: 10 });
    expect(check('a', { trace: times(2, 'a'), session: times(9, 'a') })).toBeNull();
    expect(check('a', { trace: times(2, 'a'), session: times(10, 'a') })).toBe(
      'tool calls in the session would be 11 with this one, over max_per_session 10',
    );
    expect(check('a', { trace: times(5, 'a'), session: times(5, 'a') })).toMatch(
      /max_per_trace 5$/,
    );
  });

  it('fails, for the error policy to decide, without a tool call or a history to count in', () => {
    const check = limits({ max_per_trace: 3 });
    expect(() => check('search')).toThrow('the item has no tool_history to count calls in');
    const { compiled } = compile({ max_per_trace: 3 });
    expect(() => compiled?.run(checkInput([{ name: 'text', text: 'hi' }]), false)).toThrow(
      'the item has no tool_call',
    );
  });

  it('counts a long history quickly and exactly, names from the item never in the detail', () => {
    const check = limits({ max_per_session: 100_000, tools: ['x*'] });
    const session = [...times(99_999, 'x-c4n4ry'), ...times(50_000, 'other')];
    expect(check('x-c4n4ry', { session })).toBeNull();
    const detail = check('x-c4n4ry', { session: [...session, 'x1'] });
    expect(detail).toMatch(/would be 100001 with this one, over max_per_session 100000$/);
    expect(detail).not.toContain('c4n4ry');
  });

  it('is refused on a stage other than tool_call, and without any limit', () => {
    expect(compile({ max_per_trace: 1 }, 'input').problems).toEqual([
      'rules[0].check: tool_limits applies only to rules of stage tool_call',
    ]);
    const issues = (check: object) =>
      checkSchema.safeParse({ type: 'tool_limits', ...check }).error?.issues.map((i) => i.message);
    expect(issues({ tools: ['a'] })).toEqual(['needs max_per_trace, max_per_session or both']);
    expect(issues({ max_per_trace: 0 })).toHaveLength(1);
    expect(issues({ max_per_trace: 2, tools: ['a*b'] })).toEqual([
      'may hold * only at its end (a prefix), or be * alone',
    ]);
    expect(issues({ max_per_trace: 2, max: 3 })).toHaveLength(1);
  });
});
