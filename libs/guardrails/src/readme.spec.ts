import * as fs from 'node:fs';
import * as path from 'node:path';
import { GuardrailEngine } from './engine';
import type { GuardrailItem, GuardrailResult } from './item';
import { loadRules } from './load-rules';
import type { Check, CheckType } from './rule-schema';

const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

function example(name: string): string {
  const m = new RegExp(`<!-- example:${name} -->\\n\\n?\`\`\`\\w*\\n([\\s\\S]*?)\\n\`\`\``).exec(
    readme,
  );
  if (!m) throw new Error(`README has no example:${name}`);
  return m[1]!;
}

function typesIn(check: Check, into: Set<CheckType>): Set<CheckType> {
  into.add(check.type);
  if (check.type === 'all' || check.type === 'any') for (const c of check.checks) typesIn(c, into);
  if (check.type === 'not') typesIn(check.check, into);
  return into;
}

describe('the README examples', () => {
  const rules = loadRules(example('rules'), 'README.md');

  it('load, and use every check type', () => {
    const types = new Set<CheckType>();
    for (const rule of rules) typesIn(rule.check, types);
    expect([...types].sort()).toEqual(
      [
        'all',
        'any',
        'json',
        'length',
        'not',
        'phrases',
        'regex',
        'tool_allowlist',
        'urls',
        'tool_limits',
        'tool_sequence',
        'retrieval_source',
        'expression',
        'pii',
        'language',
        'code',
        'model',
        'metadata',
        'leakage',
      ].sort(),
    );
  });

  it('show what evaluate gives for the example item', () => {
    const item = JSON.parse(example('item')) as GuardrailItem;
    const shown = JSON.parse(example('result')) as GuardrailResult;
    const result = new GuardrailEngine(rules).evaluate(item);
    expect(result).toEqual({
      ...shown,
      decisions: shown.decisions.map((d) => ({ ...d, duration_us: expect.any(Number) })),
    });
  });
});
