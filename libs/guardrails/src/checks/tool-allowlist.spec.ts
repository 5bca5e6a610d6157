import type { GuardrailStage } from '@llmops/contracts';
import type { ToolAllowlistCheck } from '../rule-schema';
import { checkInput } from './check';
import { compileToolAllowlist } from './tool-allowlist';

function compile(check: Omit<ToolAllowlistCheck, 'type'>, stage: GuardrailStage = 'tool_call') {
  const problems: string[] = [];
  const compiled = compileToolAllowlist(
    { type: 'tool_allowlist', ...check },
    { path: 'rules[0].check', stage, problems, depth: 0 },
  );
  return { compiled, problems };
}

function allowlist(check: Omit<ToolAllowlistCheck, 'type'>) {
  const { compiled, problems } = compile(check);
  if (compiled === null) throw new Error(problems.join('\n'));
  return (name: string, args = '{}', agent?: string) =>
    compiled.run(checkInput([], { name, arguments: args }, agent), false)?.detail ?? null;
}

describe('tool_allowlist', () => {
  const check = allowlist({
    tools: ['search', 'read_file'],
    by_agent: { 'support-bot': ['search'], 'ops-agent': ['search', 'restart_service'] },
    arguments_schema: {
      read_file: {
        type: 'object',
        required: ['path'],
        additionalProperties: false,
        properties: { path: { type: 'string', pattern: '^/srv/docs/[^.][^/]*$' } },
      },
    },
  });

  it('allows the listed tools and flags any other, naming the tool', () => {
    expect(check('search')).toBeNull();
    expect(check('shell_exec')).toBe('tool "shell_exec" is not allowed');
  });

  it('gives an agent listed in by_agent exactly its own list, narrower or wider', () => {
    expect(check('read_file', '{"path": "/srv/docs/a"}', 'support-bot')).toBe(
      'tool "read_file" is not allowed for agent "support-bot"',
    );
    expect(check('restart_service', '{}', 'ops-agent')).toBeNull();
    expect(check('restart_service', '{}', 'other-agent')).toBe(
      'tool "restart_service" is not allowed for agent "other-agent"',
    );
  });

  it('validates the arguments against the tool schema, naming the schema path only', () => {
    expect(check('read_file', '{"path": "/srv/docs/guide"}')).toBeNull();
    expect(check('read_file', '{"path": "/etc/shadow"}')).toBe(
      'tool "read_file": arguments fail the schema at #/properties/path/pattern (pattern)',
    );
    expect(check('read_file', '{"path": "/srv/docs/a", "mode": "w"}')).toBe(
      'tool "read_file": arguments fail the schema at #/additionalProperties (additionalProperties)',
    );
    expect(check('read_file', '{"path": ')).toBe('tool "read_file": arguments are not valid JSON');
  });

  it('is case-sensitive and exact: no prefix or look-alike passes', () => {
    expect(check('Search')).not.toBeNull();
    expect(check('search ')).not.toBeNull();
    expect(check('searсh')).not.toBeNull(); // Cyrillic с
  });

  it('shortens a long tool name in the detail', () => {
    expect(check(`x${'y'.repeat(500)}`)?.length).toBeLessThan(100);
  });

  it('allows nothing when only by_agent is given and the agent is not in it', () => {
    const only = allowlist({ by_agent: { a: ['search'] } });
    expect(only('search', '{}', 'a')).toBeNull();
    expect(only('search')).toBe('tool "search" is not allowed');
  });

  it('fails (for the error policy to decide) when the item has no tool call', () => {
    const { compiled } = compile({ tools: ['search'] });
    expect(() => compiled?.run(checkInput([{ name: 'text', text: 'hi' }]), false)).toThrow(
      'the item has no tool_call',
    );
  });

  it('refuses a rule of another stage, and a bad arguments schema, at load', () => {
    expect(compile({ tools: ['x'] }, 'output').problems).toEqual([
      'rules[0].check: tool_allowlist applies only to rules of stage tool_call',
    ]);
    expect(
      compile({ tools: ['x'], arguments_schema: { x: { type: 'object', propertie: {} } } })
        .problems,
    ).toEqual([
      'rules[0].check.arguments_schema["x"]: is not a valid JSON Schema: strict mode: unknown keyword: "propertie"',
    ]);
  });
});
