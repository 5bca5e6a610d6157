import type { Check } from '../rule-schema';
import { checkInput } from './check';
import { compileCheck, MAX_DEPTH } from './compile-check';

function compile(check: Check) {
  const problems: string[] = [];
  const compiled = compileCheck(check, {
    path: 'rules[0].check',
    stage: 'output',
    problems,
    depth: 0,
  });
  return { compiled, problems };
}

function run(check: Check, text: string, wantSpans = false) {
  const { compiled, problems } = compile(check);
  if (compiled === null) throw new Error(problems.join('\n'));
  return compiled.run(checkInput([{ name: 'text', text }]), wantSpans);
}

const secret: Check = { type: 'phrases', phrases: ['project falcon'] };
const long: Check = { type: 'length', unit: 'chars', max: 20 };
const digits: Check = { type: 'regex', pattern: '\\d{6}', must: 'not_match', name: 'code' };

describe('all / any / not', () => {
  it('all: violated only when every nested check is, with their details joined', () => {
    const both: Check = { type: 'all', checks: [secret, long] };
    expect(run(both, 'project falcon')).toBeNull();
    expect(run(both, 'a long text that mentions project falcon')?.detail).toBe(
      'phrases[0] found in text; chars: more than 20 (max 20)',
    );
  });

  it('any: violated when one nested check is, with the first one’s detail', () => {
    const either: Check = { type: 'any', checks: [secret, digits] };
    expect(run(either, 'nothing here')).toBeNull();
    expect(run(either, 'code 123456')?.detail).toBe('pattern code matched in text');
    expect(run(either, 'project falcon 123456')?.detail).toBe('phrases[0] found in text');
  });

  it('any: gathers the spans of every nested check that fired when redacting', () => {
    const either: Check = { type: 'any', checks: [secret, digits] };
    const text = 'project falcon 123456';
    const spans = run(either, text, true)?.spans ?? [];
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual(['project falcon', '123456']);
  });

  it('not: violated when the nested check passes', () => {
    const mustBeJson: Check = { type: 'not', check: { type: 'json' } };
    expect(run(mustBeJson, '{"ok": true}')).toEqual({
      detail: 'not(json): the nested check passed',
    });
    expect(run(mustBeJson, 'plain text')).toBeNull();
  });

  it('nests: any of (all of …) and not', () => {
    const nested: Check = {
      type: 'any',
      checks: [{ type: 'all', checks: [secret, { type: 'not', check: long }] }, digits],
    };
    expect(run(nested, 'project falcon')?.detail).toBe(
      'phrases[0] found in text; not(length): the nested check passed',
    );
    expect(run(nested, 'project falcon is a long text')).toBeNull();
  });

  it('says whether it can locate its findings: only when every nested check can', () => {
    expect(compile({ type: 'any', checks: [secret, digits] }).compiled?.locates).toBe(true);
    expect(compile({ type: 'all', checks: [secret, long] }).compiled?.locates).toBe(false);
    expect(compile({ type: 'not', check: secret }).compiled?.locates).toBe(false);
  });

  it('reports the problems of nested checks at their paths', () => {
    const { problems } = compile({
      type: 'all',
      checks: [secret, { type: 'not', check: { type: 'urls', deny_domains: ['http://x'] } }],
    });
    expect(problems).toEqual([
      'rules[0].check.checks[1].check.deny_domains[0]: must be a domain name (no scheme, port, path or wildcard)',
    ]);
  });

  it(`refuses nesting deeper than ${MAX_DEPTH} levels`, () => {
    let check: Check = secret;
    for (let i = 0; i <= MAX_DEPTH; i++) check = { type: 'not', check };
    const { compiled, problems } = compile(check);
    expect(compiled).toBeNull();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/nests checks deeper than 8 levels$/);
  });
});
