import type { GuardrailStage } from '@llmops/contracts';
import { Environment } from '@marcbachmann/cel-js';
import { GuardrailEngine } from '../engine';
import { GuardrailConfigError } from '../errors';
import { segmentsOf, type GuardrailItem } from '../item';
import { loadRules } from '../load-rules';
import { checkInput } from './check';
import { compileExpression } from './expression';
import { COST_BUDGET } from './expression-cost';
import { celEnvironment } from './expression-env';

function compile(expression: string, stage: GuardrailStage = 'tool_call') {
  const problems: string[] = [];
  const compiled = compileExpression(
    { type: 'expression', expression },
    { path: 'rules[0].check', stage, problems, depth: 0 },
  );
  return { compiled, problems };
}

/** The problems of an expression that does not compile (and fails the test if it does). */
function refused(expression: string): string {
  const { compiled, problems } = compile(expression);
  expect(compiled).toBeNull();
  return problems.join('\n');
}

function run(expression: string, item: Partial<GuardrailItem> = {}): string | null {
  const { compiled, problems } = compile(expression);
  if (compiled === null) throw new Error(problems.join('\n'));
  const full: GuardrailItem = { stage: 'tool_call', context: { tenant: 'acme' }, ...item };
  const input = checkInput(segmentsOf(full), full.tool_call, full.context.agent_id, full);
  return compiled.run(input, false)?.detail ?? null;
}

const is = (expression: string, item: Partial<GuardrailItem> = {}) =>
  run(expression, item) !== null;

const call = (name: string, args: unknown = {}) => ({
  tool_call: { name, arguments: typeof args === 'string' ? args : JSON.stringify(args) },
});

describe('expression', () => {
  it('is violated when the expression is true, and names the expression in the detail', () => {
    const exfil =
      'tool_call.name == "http_post" && !tool_call.args.url.startsWith("https://acme.example/")';
    expect(run(exfil, call('http_post', { url: 'https://evil.example/x' }))).toBe(
      `expression ${exfil.slice(0, 59)}… is true`,
    );
    expect(run(exfil, call('http_post', { url: 'https://acme.example/hook' }))).toBeNull();
    expect(run(exfil, call('search', { url: 'https://evil.example/x' }))).toBeNull();
  });

  it('sees every field of the item under its documented name', () => {
    const item: Partial<GuardrailItem> = {
      stage: 'tool_call',
      text: 'hello',
      messages: [
        { role: 'user', content: 'refund order 42' },
        { role: 'assistant', content: null },
      ],
      ...call('refund', { order: 42, amount: 1250.5, tags: ['vip'], nested: { ok: true } }),
      context: {
        tenant: 'acme',
        app_id: 'billing',
        agent_id: 'ops',
        model: 'gpt-4o',
        session_id: 's-1',
      },
      metadata: { department: 'finance' },
      tool_history: { trace: ['lookup_order'], session: ['login', 'lookup_order'] },
    };
    for (const expression of [
      'stage == "tool_call"',
      'text == "hello\\nrefund order 42\\n" + tool_call.arguments',
      'messages.size() == 2 && messages[0].role == "user" && messages[1].content == ""',
      'messages.exists(m, m.content.contains("refund"))',
      'tool_call.name == "refund" && tool_call.args.order == 42 && tool_call.args.amount > 1000',
      '"vip" in tool_call.args.tags && tool_call.args.nested.ok',
      'context.tenant == "acme" && context.app_id == "billing" && context.agent_id == "ops"',
      'context.model.startsWith("gpt-4") && context.endpoint_kind == "external"',
      'context.session_id == "s-1" && context.trace_id == ""',
      'metadata.department == "finance" && !("cost_center" in metadata)',
      'tool_history.trace == ["lookup_order"] && tool_history.session.size() == 2',
      'source == ""',
    ])
      expect([expression, is(expression, item)]).toEqual([expression, true]);
  });

  it('gives what an item lacks as empty values, and arguments that are no JSON object as {}', () => {
    const bare: Partial<GuardrailItem> = { stage: 'input' };
    expect(is('tool_call.name == "" && tool_call.args.size() == 0', bare)).toBe(true);
    expect(is('tool_history.trace.size() + tool_history.session.size() == 0', bare)).toBe(true);
    expect(is('messages.size() == 0 && metadata.size() == 0 && source == ""', bare)).toBe(true);
    expect(is('tool_call.args.size() == 0', call('x', '[1, 2]'))).toBe(true);
    expect(is('tool_call.args.size() == 0', call('x', '{"a": '))).toBe(true);
    expect(is('tool_call.arguments == "{\\"a\\": "', call('x', '{"a": '))).toBe(true);
  });

  it('refuses at load what does not parse or type-check, naming the rule path', () => {
    expect(refused('tool_call.name ==')).toMatch(
      /^rules\[0\]\.check\.expression: Unexpected token: EOF \(at characters 17-17\)$/,
    );
    expect(refused('tool_call.name == 1')).toMatch(
      /^rules\[0\]\.check\.expression: no such overload: string == int/,
    );
    expect(refused('size(tool_call.name)')).toBe('rules[0].check.expression: gives int, not bool');
    expect(() =>
      loadRules(
        {
          rules: [
            {
              id: 'x',
              stage: 'input',
              check: { type: 'expression', expression: 'text +' },
              action: 'block',
              severity: 'high',
            },
          ],
        },
        'test',
      ),
    ).toThrow(GuardrailConfigError);
  });

  it('fails, for the error policy to decide, when the expression errs or is not a bool', () => {
    expect(() => run('tool_call.args.path.startsWith("/etc")', call('read', {}))).toThrow(
      /^expression failed: no_such_key \(at characters \d+-\d+\)$/,
    );
    expect(
      run('has(tool_call.args.path) && tool_call.args.path.startsWith("/etc")', call('read', {})),
    ).toBeNull();
    expect(() => run('tool_call.args.path', call('read', { path: '/etc' }))).toThrow(
      'expression gave a string, not a bool',
    );
    expect(() => run('tool_call.args.n', call('read', { n: 1 }))).toThrow(
      'expression gave a double, not a bool',
    );
  });

  it('keeps the item out of the failure it reports', () => {
    const secret = 'c4n4ry-5e3d2';
    for (const expression of [
      'bool(tool_call.args.flag)',
      'int(tool_call.args.flag) > 1',
      'timestamp(tool_call.args.long) > timestamp(0)',
      'tool_call.args.list[7] == 1',
      `tool_call.args["${secret}x"] == 1`,
    ]) {
      const item = call('x', { flag: secret, long: `${secret}-${secret}`, list: [secret] });
      expect(() => run(expression, item)).toThrow(/^expression failed: [a-z_]+/);
      try {
        run(expression, item);
      } catch (err) {
        expect((err as Error).message).not.toContain(secret.slice(0, 6));
        expect((err as Error).cause).toBeUndefined();
      }
    }
  });

  it('works through the engine: the on_error of the rule decides a failure', () => {
    const engine = new GuardrailEngine(
      loadRules(
        `
rules:
  - id: big-refund
    stage: tool_call
    check: { type: expression, name: big-refund, expression: 'tool_call.name == "refund" && double(tool_call.args.amount) > 1000.0' }
    action: block
    severity: high
    on_error: fail_open
`,
        'test',
      ),
    );
    const decide = (args: unknown) =>
      engine.evaluate({ stage: 'tool_call', ...call('refund', args), context: { tenant: 'acme' } })
        .decisions[0];
    expect(decide({ amount: 5000 })).toMatchObject({
      outcome: 'violated',
      detail: 'expression big-refund is true',
    });
    expect(decide({ amount: 10 })).toBeUndefined();
    expect(decide({})).toMatchObject({
      outcome: 'error_passed',
      detail: expect.stringMatching(/^check failed: expression failed: no_such_key/),
    });
  });
});

describe('expression sandbox', () => {
  it('names nothing but the declared variables: no process, require, globalThis or this', () => {
    for (const expression of [
      'process.exit(1) == null',
      'require("child_process") == null',
      'globalThis.process == null',
      'this == null',
      'constructor == null',
      'eval("1") == 1',
      'Function("return process")() == null',
      'import("fs") == null',
      'module.exports == null',
    ])
      expect([expression, refused(expression)]).toEqual([
        expression,
        expect.stringMatching(/^rules\[0\]\.check\.expression: /),
      ]);
  });

  it("declares exactly the documented variables, and no function beyond CEL's own", () => {
    const standard = new Environment().getDefinitions();
    const ours = celEnvironment.getDefinitions();
    const builtIn = new Set(standard.variables.map((v) => v.name));
    expect(
      ours.variables
        .map((v) => v.name)
        .filter((n) => !builtIn.has(n))
        .sort(),
    ).toEqual(
      [
        'context',
        'messages',
        'metadata',
        'source',
        'stage',
        'text',
        'tool_call',
        'tool_history',
      ].sort(),
    );
    const names = (d: typeof standard) => [...new Set(d.functions.map((f) => f.name))].sort();
    expect(names(ours)).toEqual(names(standard));
  });

  it('reads no prototype: constructor and __proto__ are fields it lacks, or plain keys', () => {
    expect(refused('tool_call.constructor == null')).toMatch(
      /No such key: constructor|constructor/,
    );
    expect(refused('"".constructor == null')).toMatch(/expression: /);
    expect(refused('messages.exists(m, m.constructor == null)')).toMatch(/expression: /);
    expect(refused('__proto__ == null')).toMatch(/expression: /);
    expect(() => run('tool_call.args["constructor"] == null', call('x', {}))).toThrow(
      /no_such_key/,
    );
    expect(() => run('tool_call.args.toString == null', call('x', {}))).toThrow(/no_such_key/);
    expect(
      is('has(tool_call.args.constructor) || "constructor" in tool_call.args', call('x', {})),
    ).toBe(false);
    // JSON's own "__proto__" key is data: read as such, and nothing is polluted.
    const polluting = call('x', '{"__proto__": {"polluted": true}}');
    expect(is('tool_call.args["__proto__"].polluted', polluting)).toBe(true);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('compiles and runs without eval or Function', () => {
    const saved = { eval: globalThis.eval, Function: globalThis.Function };
    const trap = () => {
      throw new Error('code was generated');
    };
    try {
      globalThis.eval = trap as typeof eval;
      globalThis.Function = trap as unknown as FunctionConstructor;
      expect(
        is('messages.exists(m, m.content.matches("^[a-z]+$")) && text.size() > 1', {
          messages: [{ role: 'user', content: 'abc' }],
        }),
      ).toBe(true);
    } finally {
      globalThis.eval = saved.eval;
      globalThis.Function = saved.Function;
    }
  });
});

describe('expression cost bounds', () => {
  const manyMessages = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ role: 'user', content: `message ${i}` }));

  it('refuses a regular expression that can backtrack, or one the item would choose', () => {
    expect(refused('text.matches("(a+)+$")')).toMatch(
      /matches\("\(a\+\)\+\$"\): can backtrack catastrophically/,
    );
    expect(refused('text.matches(tool_call.name)')).toMatch(/matches needs a string literal/);
    expect(refused('text.matches("(")')).toMatch(/is not a valid regular expression/);
    expect(is('text.matches("^[0-9]{3}-[0-9]{4}$")', { text: '555-1234' })).toBe(true);
  });

  it('refuses duration() of anything but a short literal, which cel-js reads in cubic time', () => {
    expect(refused('duration(tool_call.args.d) > duration("1s")')).toMatch(
      /duration needs a literal such as "90s"/,
    );
    expect(refused(`duration("${'1'.repeat(4_000)}") > duration("1s")`)).toMatch(
      /duration needs a literal/,
    );
    expect(is('duration("1h30m") > duration("90s") && duration("-1.5s") < duration("0s")')).toBe(
      true,
    );
  });

  it('refuses what can grow a value at every step: bind, join, bytes, + and new lists in macros', () => {
    expect(refused('cel.bind(a, text + text, a.size()) > 1')).toMatch(/cel\.bind is not supported/);
    expect(refused('tool_history.trace.join(",").contains("a,b")')).toMatch(
      /join is not supported/,
    );
    expect(refused('bytes(text).size() > 1')).toMatch(/bytes are not supported/);
    expect(refused('[text].map(s, s + s).map(s, s + s).size() == 1')).toMatch(
      /inside a macro, \+ must add numbers/,
    );
    expect(refused('tool_history.trace.map(t, [t, t]).size() == 1')).toMatch(
      /inside a macro, a list literal must be a constant/,
    );
    expect(refused('tool_history.trace.map(t, {"k": t}).size() == 1')).toMatch(
      /inside a macro, a map literal must be a constant/,
    );
    // What cannot grow is fine: numbers added in a macro, constants, + outside macros.
    expect(is('[1, 2].map(x, x + 1) == [2, 3]')).toBe(true);
    expect(
      is('messages.exists(m, m.role in ["user", "tool"])', { messages: manyMessages(2) }),
    ).toBe(true);
    expect(is('(text + "!").endsWith("hi!")', { text: 'hi' })).toBe(true);
  });

  it('refuses macros nested more than 3 deep, and expressions past the parser limits', () => {
    const l = 'tool_history.trace';
    expect(
      refused(`${l}.exists(a, ${l}.exists(b, ${l}.exists(c, ${l}.exists(d, a == d))))`),
    ).toMatch(/nests macros more than 3 deep/);
    expect(refused(`${'('.repeat(40)}true${')'.repeat(40)}`)).toMatch(/Exceeded maxDepth \(32\)/);
    expect(refused(`true${' || false'.repeat(1100)}`)).toMatch(/Exceeded maxAstNodes \(1024\)/);
  });

  it('refuses to start an evaluation whose estimate is over the budget, and runs it on small items', () => {
    const nested =
      'messages.exists(a, messages.exists(b, messages.exists(c, ' +
      'a.content.size() + b.content.size() > c.content.size())))';
    expect(run(nested, { messages: manyMessages(3) })).not.toBeNull();
    expect(() => run(nested, { messages: manyMessages(2_000) })).toThrow(
      new RegExp(
        `^expression would cost about [0-9.]+e\\+\\d+ units on this item, over the budget of ${COST_BUDGET.toExponential(0).replace('+', '\\+')}`,
      ),
    );
  });

  it('charges the strings an expression reads by their length, and a literal macro by its own', () => {
    const huge = 'x'.repeat(3_000_000);
    expect(() => run('text.size() > 10', { text: huge })).toThrow(/would cost about/);
    expect(is('text.contains("needle")', { text: huge })).toBe(false);
    // The item's other values do not count: only what the expression names.
    expect(
      is('tool_history.trace.exists(t, t == "x")', {
        text: huge,
        tool_history: { trace: ['x'], session: [] },
      }),
    ).toBe(true);
    // A macro over a literal of two words runs twice per message, not once per item element.
    const words = 'messages.exists(m, ["refund", "chargeback"].exists(w, m.content.contains(w)))';
    expect(is(words, { messages: manyMessages(10_000) })).toBe(false);
  });

  it('charges a body that can fail per element: all and exists catch every error and go on', () => {
    const wide = { items: Array.from({ length: 20_000 }, (_, i) => `item ${i}`) };
    // A select on a dyn value can fail at every element (each error costs microseconds).
    expect(() => run('tool_call.args.items.exists(i, i.foo == 1)', call('x', wide))).toThrow(
      /would cost about/,
    );
    expect(() => run('tool_call.args.items.all(i, int(i) > 0)', call('x', wide))).toThrow(
      /would cost about/,
    );
    // == cannot fail, nor can declared fields and string functions on strings.
    expect(is('tool_call.args.items.exists(i, i == "item 19999")', call('x', wide))).toBe(true);
    const history = { trace: wide.items, session: [] };
    expect(is('tool_history.trace.all(t, t.startsWith("item "))', { tool_history: history })).toBe(
      true,
    );
  });

  it('counts the arguments of a JSON tool call, however deep they nest', () => {
    const deep = `{"a": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expect(is('tool_call.args.size() == 1', call('x', deep))).toBe(true);
    const wide = { items: Array.from({ length: 5_000 }, (_, i) => `item ${i}`) };
    expect(is('tool_call.args.items.exists(i, i == "item 4999")', call('x', wide))).toBe(true);
    const nested = 'tool_call.args.items.exists(i, tool_call.args.items.exists(j, i + j == ""))';
    expect(refused(nested)).toMatch(/\+ must add numbers/);
    const quadratic =
      'tool_call.args.items.exists(i, tool_call.args.items.exists(j, i == j && i != "item 0"))';
    expect(() => run(quadratic, call('x', wide))).toThrow(/would cost about/);
  });
});
