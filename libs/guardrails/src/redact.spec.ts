import type { GuardrailItem } from './item';
import { applyRedactions, REDACTED } from './redact';

const item: GuardrailItem = {
  stage: 'output',
  text: 'key 1234 and 5678',
  messages: [
    { role: 'assistant', content: 'abcdef' },
    { role: 'tool', content: null },
  ],
  tool_call: { name: 'send', arguments: '{"to":"x"}' },
  context: { tenant: 'acme' },
};

describe('applyRedactions', () => {
  it('replaces each span of each segment and leaves the item unchanged', () => {
    const out = applyRedactions(item, [
      { rule_id: 'r', segment: 'text', start: 4, end: 8 },
      { rule_id: 'r', segment: 'text', start: 13, end: 17 },
      { rule_id: 'r', segment: 'messages[0]', start: 0, end: 3 },
      { rule_id: 'r', segment: 'tool_call.arguments', start: 6, end: 9 },
    ]);
    expect(out.text).toBe(`key ${REDACTED} and ${REDACTED}`);
    expect(out.messages).toEqual([
      { role: 'assistant', content: `${REDACTED}def` },
      { role: 'tool', content: null },
    ]);
    expect(out.tool_call).toEqual({ name: 'send', arguments: `{"to":${REDACTED}}` });
    expect(item.text).toBe('key 1234 and 5678');
  });

  it('merges overlapping and adjacent spans, from any rules, into one mask', () => {
    const out = applyRedactions(
      item,
      [
        { rule_id: 'a', segment: 'text', start: 4, end: 7 },
        { rule_id: 'b', segment: 'text', start: 5, end: 8 },
        { rule_id: 'c', segment: 'text', start: 8, end: 12 },
      ],
      '▇',
    );
    expect(out.text).toBe('key ▇ 5678');
  });

  it('ignores spans outside the text', () => {
    const out = applyRedactions(item, [{ rule_id: 'a', segment: 'text', start: 15, end: 99 }]);
    expect(out.text).toBe(`key 1234 and 56${REDACTED}`);
  });
});
