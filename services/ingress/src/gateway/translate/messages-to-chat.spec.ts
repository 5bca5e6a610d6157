import { finishReason, messageToCompletion, openAIErrorBody } from './messages-to-chat';

const usage = {
  input_tokens: 10,
  output_tokens: 7,
  cache_read_input_tokens: 50,
  cache_creation_input_tokens: 30,
};

describe('messageToCompletion', () => {
  it("answers a text message as a chat.completion with Anthropic's id and model, and OpenAI's usage", () => {
    expect(
      messageToCompletion(
        {
          id: 'msg_1',
          type: 'message',
          role: 'assistant',
          model: 'claude-sonnet-4-5-20250929',
          content: [
            { type: 'text', text: 'hello ' },
            { type: 'text', text: 'there' },
          ],
          stop_reason: 'end_turn',
          usage,
        },
        1_767_225_600,
      ),
    ).toEqual({
      id: 'msg_1',
      object: 'chat.completion',
      created: 1_767_225_600,
      model: 'claude-sonnet-4-5-20250929',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'hello there', refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      // Prompt tokens include the cache reads and writes, which Anthropic counts apart.
      usage: {
        prompt_tokens: 90,
        completion_tokens: 7,
        total_tokens: 97,
        prompt_tokens_details: { cached_tokens: 50 },
      },
    });
  });

  it('answers tool_use blocks as tool calls with JSON arguments, content null without text', () => {
    const out = messageToCompletion(
      {
        id: 'msg_2',
        model: 'claude',
        content: [
          { type: 'thinking', thinking: 'hmm', signature: 's' },
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
        ],
        stop_reason: 'tool_use',
        usage,
      },
      0,
    );
    expect(out.choices).toEqual([
      {
        index: 0,
        message: {
          role: 'assistant',
          content: null,
          refusal: null,
          tool_calls: [
            {
              id: 'toolu_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
            },
          ],
        },
        logprobs: null,
        finish_reason: 'tool_calls',
      },
    ]);
  });
});

describe('finishReason', () => {
  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
    ['pause_turn', 'stop'],
  ])('maps %s to %s', (stop, finish) => {
    expect(finishReason(stop)).toBe(finish);
  });

  it('keeps a missing stop reason missing', () => {
    expect(finishReason(null)).toBeNull();
  });
});

describe('openAIErrorBody', () => {
  it("answers an Anthropic error in OpenAI's shape, its type as the code", () => {
    const body = JSON.stringify({
      type: 'error',
      error: {
        type: 'rate_limit_error',
        message: 'Number of requests has exceeded your rate limit.',
      },
    });
    expect(JSON.parse(openAIErrorBody(429, body))).toEqual({
      error: {
        message: 'Number of requests has exceeded your rate limit.',
        type: 'rate_limit_error',
        param: null,
        code: 'rate_limit_error',
      },
    });
  });

  it('says what the upstream answered when its body is not an Anthropic error', () => {
    expect(JSON.parse(openAIErrorBody(400, 'Bad Request'))).toEqual({
      error: {
        message: 'the Anthropic upstream answered 400',
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    });
  });
});
