import { countInput, countOutput, countText, countedUsage } from './token-counter';

// Expected counts were taken from OpenAI's own `tiktoken` (the WASM build of the Rust encoder,
// o200k_base), a different implementation from the one under test.
describe('token counter', () => {
  it.each([
    ['hello world', 2],
    ['The quick brown fox jumps over the lazy dog.', 10],
    ['Grüße aus Zürich — 東京へようこそ 🎉', 13],
    ['<|endoftext|> is plain text here', 11],
    ['', 0],
  ])('counts %j as %i tokens, special-token markers as plain text', (text, n) => {
    expect(countText(text)).toBe(n);
  });

  it('counts a chat prompt with its framing: 3 per message, 1 per name, 3 to prime the reply', () => {
    const input = {
      system: 'The quick brown fox jumps over the lazy dog.',
      messages: [
        { role: 'user', content: 'hello world', name: 'bob', tool_call_id: null },
        { role: 'assistant', content: null, name: null, tool_call_id: null },
      ],
    };
    // priming 3 + system (3 + 1 + 10) + user (3 + 1 + 2 + name 1 + 1) + assistant (3 + 1)
    expect(countInput(input, true)).toBe(3 + 14 + 8 + 4);
  });

  it('counts the tool definitions as prompt text', () => {
    const tools =
      '{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}';
    const input = { system: null, messages: [] };
    expect(countInput(input, true, tools)).toBe(3 + 28);
  });

  it('counts the inputs of an embedding call as plain texts, without chat framing', () => {
    const input = {
      system: null,
      messages: [
        { role: 'user', content: 'hello world', name: null, tool_call_id: null },
        {
          role: 'user',
          content: 'The quick brown fox jumps over the lazy dog.',
          name: null,
          tool_call_id: null,
        },
      ],
    };
    expect(countInput(input, false)).toBe(12);
  });

  it('counts an answer: every choice, and each tool call by name and arguments', () => {
    const outcome = {
      responseId: null,
      responseModel: null,
      usage: null,
      choices: [
        {
          index: 0,
          role: 'assistant',
          content: 'hello world',
          finishReason: 'stop',
          toolCalls: [],
        },
        {
          index: 1,
          role: 'assistant',
          content: null,
          finishReason: 'tool_calls',
          toolCalls: [{ id: 'c1', name: 'user', arguments: 'hello world' }],
        },
      ],
    };
    expect(countOutput(outcome)).toBe(2 + 1 + 2);
    expect(countedUsage({ system: null, messages: [] }, outcome, true)).toEqual({
      inputTokens: 3,
      outputTokens: 5,
      cachedInputTokens: 0,
      reasoningTokens: 0,
    });
  });
});
