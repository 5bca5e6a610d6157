import { ChatStreamAssembler, chatUsage, completionOutcome } from './chat-completion';

const chunk = (delta: object, extra: object = {}) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  model: 'm-2024',
  choices: [{ index: 0, delta, finish_reason: null }],
  ...extra,
});

describe('chatUsage', () => {
  it("reads OpenAI's usage with its cached and reasoning details", () => {
    expect(
      chatUsage({
        prompt_tokens: 100,
        completion_tokens: 40,
        prompt_tokens_details: { cached_tokens: 60 },
        completion_tokens_details: { reasoning_tokens: 30 },
      }),
    ).toEqual({ inputTokens: 100, outputTokens: 40, cachedInputTokens: 60, reasoningTokens: 30 });
    expect(chatUsage(null)).toBeNull();
    expect(chatUsage({ prompt_tokens: -3, completion_tokens: 'x' })).toEqual({
      inputTokens: 0,
      outputTokens: 0,
      cachedInputTokens: 0,
      reasoningTokens: 0,
    });
  });
});

describe('completionOutcome', () => {
  it('reads every choice, its text, finish reason and tool calls', () => {
    const o = completionOutcome({
      id: 'c1',
      model: 'm',
      choices: [
        { index: 0, message: { role: 'assistant', content: 'a' }, finish_reason: 'stop' },
        {
          index: 1,
          message: {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 't1', type: 'function', function: { name: 'f', arguments: '{}' } }],
          },
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 5, completion_tokens: 2 },
    });
    expect(o.choices).toEqual([
      { index: 0, role: 'assistant', content: 'a', finishReason: 'stop', toolCalls: [] },
      {
        index: 1,
        role: 'assistant',
        content: null,
        finishReason: 'tool_calls',
        toolCalls: [{ id: 't1', name: 'f', arguments: '{}' }],
      },
    ]);
    expect(o.usage?.inputTokens).toBe(5);
  });
});

describe('ChatStreamAssembler', () => {
  it('joins text and tool-call argument deltas by choice and call index, and keeps the last usage', () => {
    const a = new ChatStreamAssembler();
    expect(a.add(chunk({ role: 'assistant', content: '' }))).toBe(false);
    expect(a.add(chunk({ content: 'Hel' }))).toBe(true);
    a.add(chunk({ content: 'lo' }));
    a.add(
      chunk({
        tool_calls: [
          { index: 1, id: 'b', type: 'function', function: { name: 'g', arguments: '' } },
        ],
      }),
    );
    a.add(
      chunk({
        tool_calls: [
          { index: 0, id: 'a', type: 'function', function: { name: 'f', arguments: '{"x"' } },
        ],
      }),
    );
    a.add(chunk({ tool_calls: [{ index: 0, function: { arguments: ':1}' } }] }));
    a.add(chunk({ tool_calls: [{ index: 1, function: { arguments: '{}' } }] }));
    // Cumulative usage repeated: the last one is the total, not a part to add.
    a.add({ ...chunk({}), usage: { prompt_tokens: 9, completion_tokens: 2 } });
    a.add({
      id: 'chatcmpl-1',
      choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }],
      usage: { prompt_tokens: 9, completion_tokens: 5 },
    });
    expect(a.outcome()).toEqual({
      responseId: 'chatcmpl-1',
      responseModel: 'm-2024',
      usage: { inputTokens: 9, outputTokens: 5, cachedInputTokens: 0, reasoningTokens: 0 },
      choices: [
        {
          index: 0,
          role: 'assistant',
          content: 'Hello',
          finishReason: 'tool_calls',
          toolCalls: [
            { id: 'a', name: 'f', arguments: '{"x":1}' },
            { id: 'b', name: 'g', arguments: '{}' },
          ],
        },
      ],
    });
  });

  it('says no usage was reported when no chunk carried it', () => {
    const a = new ChatStreamAssembler();
    a.add(chunk({ content: 'x' }, { usage: null }));
    expect(a.outcome().usage).toBeNull();
  });
});
