import { answerText, chainRewriters, type AnswerRewriter } from './call-hooks';

/** A rewriter that holds back a trailing '<' (as a restorer holds a placeholder's start). */
function holding(from: string, to: string): AnswerRewriter {
  const held = new Map<string, string>();
  const swap = (t: string) => t.split(from).join(to);
  return {
    text: swap,
    delta: (s, t) => {
      const all = (held.get(s) ?? '') + t;
      const keep = all.endsWith('<') ? 1 : 0;
      held.set(s, all.slice(all.length - keep));
      return swap(all.slice(0, all.length - keep));
    },
    flush: (s) => {
      const rest = held.get(s) ?? '';
      held.delete(s);
      return swap(rest);
    },
  };
}

describe('call hooks', () => {
  it('chains answer rewriters in order, whole texts and deltas alike, what one holds back included', () => {
    const chain = chainRewriters([holding('a', 'b'), holding('b', 'c')])!;
    expect(chain.text('abc')).toBe('ccc');
    const out = [chain.delta('0', 'xa<'), chain.delta('0', 'b'), chain.flush('0')].join('');
    expect(out).toBe('xc<c');
    expect(chainRewriters([])).toBeUndefined();
  });

  it("gives a stream hook every choice's text and tool-call arguments", () => {
    expect(
      answerText({
        responseId: null,
        responseModel: null,
        usage: null,
        choices: [
          { index: 0, role: 'assistant', content: 'hi', finishReason: null, toolCalls: [] },
          {
            index: 1,
            role: 'assistant',
            content: null,
            finishReason: null,
            toolCalls: [{ id: null, name: 'f', arguments: '{"x":1}' }],
          },
        ],
      }),
    ).toBe('hi\n\n{"x":1}');
  });
});
