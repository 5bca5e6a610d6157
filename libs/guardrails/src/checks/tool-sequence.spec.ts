import type { GuardrailStage } from '@llmops/contracts';
import type { GuardrailToolHistory } from '../item';
import { checkSchema, type ToolSequenceCheck } from '../rule-schema';
import { checkInput } from './check';
import { compileToolSequence } from './tool-sequence';

function compile(check: Omit<ToolSequenceCheck, 'type'>, stage: GuardrailStage = 'tool_call') {
  const problems: string[] = [];
  const compiled = compileToolSequence(
    { type: 'tool_sequence', ...check },
    { path: 'rules[0].check', stage, problems, depth: 0 },
  );
  return { compiled, problems };
}

function sequences(check: Omit<ToolSequenceCheck, 'type'>) {
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

describe('tool_sequence', () => {
  const exfil = sequences({ forbidden: [['read_customer_db', 'http_post']] });

  it('flags the call that completes a forbidden sequence, whatever came between', () => {
    expect(exfil('http_post', { trace: ['read_customer_db'] })).toBe(
      'forbidden[0] (read_customer_db → http_post) completed in the trace',
    );
    expect(
      exfil('http_post', { trace: ['read_customer_db', 'summarise', 'translate'] }),
    ).not.toBeNull();
    expect(exfil('http_post', { trace: ['search', 'summarise'] })).toBeNull();
  });

  it('needs the order: the same tools the other way round, or only the first, pass', () => {
    expect(exfil('read_customer_db', { trace: ['http_post'] })).toBeNull();
    expect(exfil('read_customer_db', { trace: [] })).toBeNull();
    expect(exfil('summarise', { trace: ['read_customer_db'] })).toBeNull();
  });

  it('matches longer sequences in order, with repeats, prefixes and * for any one tool', () => {
    const check = sequences({
      forbidden: [
        ['db_*', 'compress', 'http_*'],
        ['login', '*', 'login'],
      ],
    });
    expect(check('http_put', { trace: ['db_read', 'x', 'compress', 'y'] })).toMatch(
      /^forbidden\[0\]/,
    );
    expect(check('http_put', { trace: ['compress', 'db_read'] })).toBeNull();
    expect(check('login', { trace: ['login', 'search'] })).toMatch(/^forbidden\[1\]/);
    expect(check('login', { trace: ['login'] })).toBeNull(); // * needs one call between
  });

  it('looks in the session with within: session, and only in the trace by default', () => {
    const history = { trace: [], session: ['read_customer_db'] };
    expect(exfil('http_post', history)).toBeNull();
    expect(
      sequences({ forbidden: [['read_customer_db', 'http_post']], within: 'session' })(
        'http_post',
        history,
      ),
    ).toBe('forbidden[0] (read_customer_db → http_post) completed in the session');
  });

  it('is exact on names: case, look-alikes and suffixes do not match', () => {
    for (const first of [
      'Read_customer_db',
      'read_customer_db ',
      'read_сustomer_db',
      'read_customer_db2',
    ])
      expect(exfil('http_post', { trace: [first] })).toBeNull();
  });

  it('stays linear on a long history, and fails without one', () => {
    const check = sequences({ forbidden: [['a', 'b', 'c', 'd']] });
    const trace = [...new Array<string>(200_000).fill('a'), 'b', 'c'];
    expect(check('d', { trace })).not.toBeNull();
    expect(check('d', { trace: trace.slice(0, -1) })).toBeNull();
    expect(() => check('d')).toThrow('the item has no tool_history to match sequences in');
  });

  it('is refused on a stage other than tool_call, and for a sequence of one tool', () => {
    expect(compile({ forbidden: [['a', 'b']] }, 'output').problems).toEqual([
      'rules[0].check: tool_sequence applies only to rules of stage tool_call',
    ]);
    const issues = (check: object) =>
      checkSchema
        .safeParse({ type: 'tool_sequence', ...check })
        .error?.issues.map((i) => i.message);
    expect(issues({ forbidden: [['a']] })).toEqual(['must list at least two tools']);
    expect(issues({ forbidden: [['a', 'b']], within: 'tenant' })).toHaveLength(1);
    expect(issues({ forbidden: [['a', 'b']] })).toBeUndefined();
  });
});
