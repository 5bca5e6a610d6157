import { ApiError } from '../../http/api-error';
import { chatToMessages, DEFAULT_MAX_TOKENS } from './chat-to-messages';

const user = (content: unknown) => ({ role: 'user', content });

/** The ApiError `chatToMessages(body)` throws, as `{ status, code, path, message }`. */
function refusal(body: Record<string, unknown>) {
  try {
    chatToMessages({ messages: [user('hi')], ...body }, 'claude');
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    const r = err.getResponse() as {
      error: { code: string; message: string; details: Array<{ path: string }> };
    };
    return {
      status: err.getStatus(),
      code: r.error.code,
      path: r.error.details[0]!.path,
      message: r.error.message,
    };
  }
  throw new Error('expected a refusal');
}

describe('chatToMessages', () => {
  it('moves system and developer messages to the system prompt and names the target model', () => {
    expect(
      chatToMessages(
        {
          model: 'gpt-4o',
          messages: [
            { role: 'system', content: 'be brief' },
            { role: 'developer', content: [{ type: 'text', text: 'no jokes' }] },
            user('hello'),
          ],
        },
        'claude-sonnet-4-5',
      ),
    ).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: DEFAULT_MAX_TOKENS,
      system: [
        { type: 'text', text: 'be brief' },
        { type: 'text', text: 'no jokes' },
      ],
      messages: [{ role: 'user', content: 'hello' }],
    });
  });

  it('carries the sampling and limit fields over under their Anthropic names', () => {
    const out = chatToMessages(
      {
        messages: [user('hi')],
        max_tokens: 50,
        max_completion_tokens: 100,
        temperature: 0.2,
        top_p: 0.9,
        stop: 'END',
        stream: true,
        stream_options: { include_usage: true },
        user: 'u-1',
        n: 1,
        logprobs: false,
        presence_penalty: 0,
        seed: null,
      },
      'claude',
    );
    expect(out).toEqual({
      model: 'claude',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0.2,
      top_p: 0.9,
      stop_sequences: ['END'],
      metadata: { user_id: 'u-1' },
      stream: true,
    });
    expect(chatToMessages({ messages: [user('hi')], stop: ['a', 'b'] }, 'c')).toMatchObject({
      stop_sequences: ['a', 'b'],
    });
  });

  it('turns text and image parts into blocks: data URLs as base64 sources, http URLs as URL sources', () => {
    const out = chatToMessages(
      {
        messages: [
          user([
            { type: 'text', text: 'what is this?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            {
              type: 'image_url',
              image_url: { url: 'https://example.com/cat.jpg', detail: 'auto' },
            },
          ]),
        ],
      },
      'claude',
    );
    expect(out.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'what is this?' },
          {
            type: 'image',
            source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' },
          },
          { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
        ],
      },
    ]);
  });

  it('turns tool calls into tool_use blocks and merges consecutive tool results into one user turn', () => {
    const out = chatToMessages(
      {
        messages: [
          user('weather in Paris and Rome?'),
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                id: 'call_1',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
              },
              {
                id: 'call_2',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"city":"Rome"}' },
              },
            ],
          },
          { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
          { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: 'rain' }] },
          user('thanks'),
        ],
      },
      'claude',
    );
    expect(out.messages).toEqual([
      { role: 'user', content: 'weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'call_2', name: 'get_weather', input: { city: 'Rome' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: 'sunny' },
          {
            type: 'tool_result',
            tool_use_id: 'call_2',
            content: [{ type: 'text', text: 'rain' }],
          },
          { type: 'text', text: 'thanks' },
        ],
      },
    ]);
  });

  it('keeps the text an assistant said beside its tool calls, and takes empty arguments as no input', () => {
    const out = chatToMessages(
      {
        messages: [
          user('time?'),
          {
            role: 'assistant',
            content: 'let me look',
            tool_calls: [{ id: 't', type: 'function', function: { name: 'now', arguments: '' } }],
          },
        ],
      },
      'claude',
    );
    expect(out.messages).toEqual([
      { role: 'user', content: 'time?' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'let me look' },
          { type: 'tool_use', id: 't', name: 'now', input: {} },
        ],
      },
    ]);
  });

  it('translates function tools, tool_choice and parallel_tool_calls: false', () => {
    const tools = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'the weather of a city',
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
          strict: true,
        },
      },
      { type: 'function', function: { name: 'now' } },
    ];
    const out = chatToMessages(
      { messages: [user('hi')], tools, tool_choice: 'required', parallel_tool_calls: false },
      'claude',
    );
    expect(out.tools).toEqual([
      {
        name: 'get_weather',
        description: 'the weather of a city',
        input_schema: { type: 'object', properties: { city: { type: 'string' } } },
        strict: true,
      },
      { name: 'now', input_schema: { type: 'object', properties: {} } },
    ]);
    expect(out.tool_choice).toEqual({ type: 'any', disable_parallel_tool_use: true });
    const choice = (tool_choice: unknown, parallel?: boolean) =>
      chatToMessages(
        { messages: [user('hi')], tools, tool_choice, parallel_tool_calls: parallel },
        'c',
      ).tool_choice;
    expect(choice('auto')).toEqual({ type: 'auto' });
    expect(choice('none', false)).toEqual({ type: 'none' });
    expect(choice({ type: 'function', function: { name: 'now' } })).toEqual({
      type: 'tool',
      name: 'now',
    });
    expect(choice(undefined, false)).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect(choice(undefined, true)).toBeUndefined();
  });

  it('maps a json_schema response format and reasoning effort to output_config', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    expect(
      chatToMessages(
        {
          messages: [user('hi')],
          response_format: {
            type: 'json_schema',
            json_schema: { name: 'x', schema, strict: true },
          },
          reasoning_effort: 'high',
          service_tier: 'default',
        },
        'claude',
      ),
    ).toMatchObject({
      output_config: { format: { type: 'json_schema', schema }, effort: 'high' },
      service_tier: 'standard_only',
    });
    expect(
      chatToMessages({ messages: [user('hi')], response_format: { type: 'text' } }, 'c'),
    ).not.toHaveProperty('output_config');
  });

  it.each([
    [{ n: 2 }, 'n', 'one choice per call'],
    [{ logprobs: true }, 'logprobs', 'no log probabilities'],
    [{ top_logprobs: 3 }, 'top_logprobs', 'no log probabilities'],
    [{ audio: { voice: 'alloy', format: 'mp3' } }, 'audio', 'text only'],
    [{ modalities: ['text', 'audio'] }, 'modalities', 'text only'],
    [{ frequency_penalty: 0.5 }, 'frequency_penalty', 'no frequency penalty'],
    [{ logit_bias: { '50256': -100 } }, 'logit_bias', 'no token biases'],
    [{ seed: 7 }, 'seed', 'no seeded sampling'],
    [{ temperature: 1.5 }, 'temperature', 'up to 1'],
    [{ response_format: { type: 'json_object' } }, 'response_format', 'without a schema'],
    [{ reasoning_effort: 'minimal' }, 'reasoning_effort', 'low, medium, high'],
    [{ service_tier: 'flex' }, 'service_tier', 'no "flex" tier'],
    [{ store: true }, 'store', 'does not store'],
    [{ tool_choice: { type: 'allowed_tools' } }, 'tool_choice', 'named function'],
    [{ tools: [{ type: 'custom', custom: { name: 'x' } }] }, 'tools[0].type', 'function tools'],
    [{ some_new_field: 1 }, 'some_new_field', 'no translation'],
    [{ messages: [{ role: 'user', name: 'bob', content: 'hi' }] }, 'messages[0].name', 'names'],
    [
      { messages: [user([{ type: 'input_audio', input_audio: { data: '', format: 'wav' } }])] },
      'messages[0].content[0]',
      'audio input',
    ],
    [
      { messages: [user([{ type: 'image_url', image_url: { url: 'data:image/bmp;base64,AA' } }])] },
      'messages[0].content[0].image_url.url',
      'not image/bmp',
    ],
  ])('refuses %j with a 400 naming %s', (body, path, why) => {
    const r = refusal(body);
    expect(r).toMatchObject({ status: 400, code: 'untranslatable_parameter', path });
    expect(r.message).toContain(why);
    expect(r.message).toContain('Anthropic');
  });

  it('answers 400 when tool call arguments are not a JSON object', () => {
    const call = (args: string) =>
      refusal({
        messages: [
          user('hi'),
          {
            role: 'assistant',
            tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: args } }],
          },
        ],
      });
    for (const args of ['{"city": "Par', '[1, 2]']) {
      expect(call(args)).toMatchObject({
        status: 400,
        code: 'invalid_request',
        path: 'messages[1].tool_calls[0].function.arguments',
      });
    }
    expect(call('{oops').message).toContain('must be JSON text');
  });

  it('answers 400 for a tool message that does not name its call', () => {
    expect(refusal({ messages: [{ role: 'tool', content: 'x' }] })).toMatchObject({
      code: 'invalid_request',
      path: 'messages[0].tool_call_id',
    });
  });
});
