import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { UsageError } from '../../args';
import type { CliContext } from '../../context';
import {
  describe as describeRule,
  guardrailsRules,
  parseRulesArgs,
  rulesTable,
  type RuleView,
} from './rules';

const view: RuleView = {
  id: 'no-injection',
  stage: 'input',
  scope: { tenant: 'acme' },
  check: { type: 'phrases', phrases: ['ignore previous instructions'] },
  action: 'block',
  severity: 'high',
  timeout_ms: 50,
  on_error: 'fail_closed',
  revision: 3,
  tenant: 'acme',
  changed_at: '2026-01-02T12:00:00.000Z',
  changed_by: { source: 'api', key_id: '0123456789abcdef', tenant_id: 'acme', file: null },
};

describe('parseRulesArgs', () => {
  it('reads add with its file, --deployment and --expected-revision', () => {
    expect(parseRulesArgs('add', ['--file', 'r.yaml'])).toEqual({
      sub: 'add',
      file: 'r.yaml',
      deployment: false,
    });
    expect(
      parseRulesArgs('add', ['--file', 'r.yaml', '--deployment', '--expected-revision', '0']),
    ).toEqual({ sub: 'add', file: 'r.yaml', deployment: true, expectedRevision: 0 });
  });

  it('reads list, show and remove', () => {
    expect(parseRulesArgs('list', ['--json'])).toEqual({
      sub: 'list',
      deployment: false,
      json: true,
    });
    expect(parseRulesArgs('show', ['no-injection', '--deployment'])).toEqual({
      sub: 'show',
      id: 'no-injection',
      deployment: true,
      json: false,
    });
    expect(parseRulesArgs('remove', ['x', '--expected-revision', '4'])).toEqual({
      sub: 'remove',
      id: 'x',
      deployment: false,
      expectedRevision: 4,
    });
  });

  it.each([
    ['add', [], /^guardrails add: --file RULE.yaml is required/],
    ['add', ['--file', 'r.yaml', 'extra'], /^guardrails add: unexpected argument 'extra'/],
    ['add', ['--file', 'r.yaml', '--expected-revision', 'latest'], /must be a revision number/],
    ['add', ['--file', 'r.yaml', '--json'], /^guardrails add: .*'--json'/],
    ['show', [], /^guardrails show: give one rule id/],
    ['remove', ['a', 'b'], /^guardrails remove: give one rule id/],
    ['list', ['x'], /^guardrails list: unexpected argument 'x'/],
  ] as const)('refuses %s %j as a usage error', (sub, argv, message) => {
    expect(() => parseRulesArgs(sub, [...argv])).toThrow(UsageError);
    expect(() => parseRulesArgs(sub, [...argv])).toThrow(message);
  });
});

describe('rulesTable and describe', () => {
  it('shows each rule with its tenant, revision and who changed it', () => {
    expect(
      rulesTable([
        view,
        {
          ...view,
          id: 'links',
          tenant: null,
          check: { type: 'urls', deny_domains: ['x.example'] },
        },
      ]),
    ).toEqual([
      'ID            STAGE  CHECK    ACTION  SEVERITY  TENANT   REV  CHANGED                   BY',
      'no-injection  input  phrases  block   high      acme     3    2026-01-02T12:00:00.000Z  key 0123456789abcdef (acme)',
      'links         input  urls     block   high      (every)  3    2026-01-02T12:00:00.000Z  key 0123456789abcdef (acme)',
    ]);
    expect(describeRule(view)).toContain(
      'check     {"type":"phrases","phrases":["ignore previous instructions"]}',
    );
  });
});

/** A stand-in ingress admin API: records each request and answers the next scripted answer. */
async function fakeIngress(answers: Array<{ status: number; body?: unknown }>) {
  const seen: Array<{ method: string; url: string; body: unknown }> = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, body: raw ? JSON.parse(raw) : undefined });
      const a = answers.shift() ?? { status: 500 };
      res.writeHead(a.status, { 'content-type': 'application/json' });
      res.end(a.body === undefined ? '' : JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

function context(url: string) {
  const out: string[] = [];
  const ctx = {
    config: { LLMOPS_URL: url, LLMOPS_API_KEY: 'llm_admin', INGRESS_PORT: 8080 },
    repoRoot: '/nonexistent',
    out: (l: string) => out.push(l),
    err: () => undefined,
  } as unknown as CliContext;
  return { ctx, out };
}

describe('guardrailsRules', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'llmops-cli-rules-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it("puts each rule of the file without its id and revision, and prints the gateway's revisions", async () => {
    const rules = file(
      'rules.yaml',
      [
        'rules:',
        '  - { id: a, stage: input, check: { type: phrases, phrases: [x] }, action: block, severity: high, revision: 9 }',
        '  - { id: b, stage: output, check: { type: length, unit: chars, max: 10 }, action: warn, severity: low }',
      ].join('\n'),
    );
    const ingress = await fakeIngress([
      { status: 201, body: { ...view, id: 'a', revision: 1 } },
      { status: 200, body: { ...view, id: 'b', revision: 4 } },
    ]);
    try {
      const { ctx, out } = context(ingress.url);
      expect(await guardrailsRules(ctx, 'add', ['--file', rules, '--deployment'])).toBe(0);
      expect(ingress.seen.map((s) => [s.method, s.url])).toEqual([
        ['PUT', '/v1/admin/guardrails/rules/a?scope=deployment'],
        ['PUT', '/v1/admin/guardrails/rules/b?scope=deployment'],
      ]);
      expect(ingress.seen[0]!.body).toEqual({
        stage: 'input',
        scope: {},
        check: { type: 'phrases', phrases: ['x'] },
        action: 'block',
        severity: 'high',
        timeout_ms: 50,
        on_error: 'fail_closed',
      });
      expect(out).toEqual(['added rule a (revision 1)', 'saved rule b (revision 4)']);
    } finally {
      await ingress.close();
    }
  });

  it('sends nothing when a rule of the file is wrong, naming the file, rule and field', async () => {
    const bad = file(
      'bad.yaml',
      'id: a\nstage: input\ncheck: { type: regex, pattern: "(a|a)*$", must: not_match }\naction: block\nseverity: high\n',
    );
    const ingress = await fakeIngress([]);
    try {
      const { ctx } = context(ingress.url);
      const add = guardrailsRules(ctx, 'add', ['--file', bad]);
      await expect(add).rejects.toThrow(UsageError);
      await expect(add).rejects.toThrow(
        /bad\.yaml:\n {2}- rules\[0\]\.check\.pattern: can backtrack/,
      );
      expect(ingress.seen).toEqual([]);
    } finally {
      await ingress.close();
    }
  });

  it("shows the API's refusal with each field it names as where it is in the file", async () => {
    const one = file(
      'one.json',
      JSON.stringify({
        ...view,
        revision: undefined,
        tenant: undefined,
        changed_at: undefined,
        changed_by: undefined,
      }),
    );
    const ingress = await fakeIngress([
      {
        status: 400,
        body: {
          error: {
            status: 400,
            code: 'invalid_rule',
            message: "guardrail rule 'no-injection' is not valid: scope.tenant must be globex",
            details: [{ path: 'scope.tenant', message: 'must be globex' }],
          },
        },
      },
      {
        status: 409,
        body: { error: { code: 'revision_mismatch', message: 'is at revision 4, not 3' } },
      },
    ]);
    try {
      const { ctx } = context(ingress.url);
      await expect(guardrailsRules(ctx, 'add', ['--file', one])).rejects.toThrow(
        `guardrails add: guardrail rule 'no-injection' is not valid: scope.tenant must be globex\n  ${one}: rules[0].scope.tenant: must be globex`,
      );
      const remove = guardrailsRules(ctx, 'remove', ['no-injection', '--expected-revision', '3']);
      await expect(remove).rejects.toThrow('guardrails remove: is at revision 4, not 3');
      expect(ingress.seen.map((s) => s.url)).toEqual([
        '/v1/admin/guardrails/rules/no-injection',
        '/v1/admin/guardrails/rules/no-injection?expected_revision=3',
      ]);
    } finally {
      await ingress.close();
    }
  });

  it('lists, shows and removes through the admin API', async () => {
    const ingress = await fakeIngress([
      { status: 200, body: { rules: [view] } },
      { status: 200, body: view },
      { status: 204 },
    ]);
    try {
      const { ctx, out } = context(ingress.url);
      await guardrailsRules(ctx, 'list', []);
      await guardrailsRules(ctx, 'show', ['no-injection', '--json']);
      await guardrailsRules(ctx, 'remove', ['no-injection']);
      expect(out[1]).toMatch(/^no-injection +input +phrases/);
      expect(JSON.parse(out[2]!)).toEqual(view);
      expect(out[3]).toBe('removed rule no-injection');
      expect(ingress.seen.map((s) => s.method)).toEqual(['GET', 'GET', 'DELETE']);
    } finally {
      await ingress.close();
    }
  });
});
