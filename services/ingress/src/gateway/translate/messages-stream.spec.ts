import { StreamRestorer } from '../pii-guard';
import type { SseEvent } from '../sse';
import { MessagesToChatStream } from './messages-stream';
import { restoreMessagesEvent } from './messages-restore';

function ev(type: string, fields: object = {}): SseEvent {
  const data = JSON.stringify({ type, ...fields });
  return { raw: `event: ${type}\ndata: ${data}`, event: type, data };
}

const usage = {
  input_tokens: 10,
  output_tokens: 1,
  cache_read_input_tokens: 50,
  cache_creation_input_tokens: 30,
};
const start = ev('message_start', {
  message: { id: 'msg_1', model: 'claude-x', role: 'assistant', content: [], usage },
});
const stop = (reason: string, output = 5) => [
  ev('message_delta', {
    delta: { stop_reason: reason, stop_sequence: null },
    usage: { output_tokens: output, input_tokens: null },
  }),
  ev('message_stop'),
];

/** The chunks the client gets for `events`, each parsed (`[DONE]` and comments as they are). */
function translate(events: SseEvent[], includeUsage = false) {
  const s = new MessagesToChatStream(includeUsage, () => 1_767_225_600_000);
  const out = events.map((e) => s.add(e));
  const chunks = out
    .filter((t): t is string => t !== null)
    .flatMap((t) => t.split('\n\n'))
    .map((line) => (line.startsWith('data: {') ? (JSON.parse(line.slice(6)) as unknown) : line));
  return { out, chunks, failure: s.failure() };
}

describe('MessagesToChatStream', () => {
  it('answers each text event with its chunk at once: role first, then deltas, finish reason, [DONE]', () => {
    const events = [
      start,
      ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
      ev('ping'),
      ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'hello' } }),
      ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: ' world' } }),
      ev('content_block_stop', { index: 0 }),
      ...stop('end_turn'),
    ];
    const { out, chunks, failure } = translate(events);
    // One answer per event, none waiting for a later one.
    expect(out.map((t) => t !== null)).toEqual([true, false, true, true, true, false, true, true]);
    const base = {
      id: 'msg_1',
      object: 'chat.completion.chunk',
      created: 1_767_225_600,
      model: 'claude-x',
    };
    expect(chunks).toEqual([
      {
        ...base,
        choices: [
          {
            index: 0,
            delta: { role: 'assistant', content: '' },
            logprobs: null,
            finish_reason: null,
          },
        ],
      },
      ': ping',
      {
        ...base,
        choices: [{ index: 0, delta: { content: 'hello' }, logprobs: null, finish_reason: null }],
      },
      {
        ...base,
        choices: [{ index: 0, delta: { content: ' world' }, logprobs: null, finish_reason: null }],
      },
      { ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }] },
      'data: [DONE]',
    ]);
    expect(failure).toBeNull();
  });

  it('streams tool calls as OpenAI does: index, id and name first, then the argument pieces', () => {
    const { chunks } = translate([
      start,
      ev('content_block_start', { index: 0, content_block: { type: 'text', text: 'let me see' } }),
      ev('content_block_stop', { index: 0 }),
      ev('content_block_start', {
        index: 1,
        content_block: { type: 'tool_use', id: 'toolu_a', name: 'get_weather', input: {} },
      }),
      ev('content_block_delta', {
        index: 1,
        delta: { type: 'input_json_delta', partial_json: '' },
      }),
      ev('content_block_delta', {
        index: 1,
        delta: { type: 'input_json_delta', partial_json: '{"city":' },
      }),
      ev('content_block_delta', {
        index: 1,
        delta: { type: 'input_json_delta', partial_json: '"Paris"}' },
      }),
      ev('content_block_stop', { index: 1 }),
      ev('content_block_start', {
        index: 2,
        content_block: { type: 'tool_use', id: 'toolu_b', name: 'now', input: {} },
      }),
      ev('content_block_stop', { index: 2 }),
      ...stop('tool_use'),
    ]);
    const deltas = chunks
      .filter(
        (c): c is { choices: Array<{ delta: unknown; finish_reason: unknown }> } =>
          typeof c === 'object',
      )
      .map((c) => c.choices[0]);
    expect(deltas.slice(1)).toEqual([
      { index: 0, delta: { content: 'let me see' }, logprobs: null, finish_reason: null },
      {
        index: 0,
        delta: {
          tool_calls: [
            {
              index: 0,
              id: 'toolu_a',
              type: 'function',
              function: { name: 'get_weather', arguments: '' },
            },
          ],
        },
        logprobs: null,
        finish_reason: null,
      },
      {
        index: 0,
        delta: { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] },
        logprobs: null,
        finish_reason: null,
      },
      {
        index: 0,
        delta: { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] },
        logprobs: null,
        finish_reason: null,
      },
      {
        index: 0,
        delta: {
          tool_calls: [
            { index: 1, id: 'toolu_b', type: 'function', function: { name: 'now', arguments: '' } },
          ],
        },
        logprobs: null,
        finish_reason: null,
      },
      { index: 0, delta: {}, logprobs: null, finish_reason: 'tool_calls' },
    ]);
  });

  it('adds the usage chunk before [DONE], and usage null on every chunk, only when the client asked', () => {
    const events = [start, ...stop('max_tokens', 9)];
    const asked = translate(events, true).chunks;
    expect(asked[0]).toMatchObject({ usage: null });
    expect(asked.at(-2)).toEqual({
      id: 'msg_1',
      object: 'chat.completion.chunk',
      created: 1_767_225_600,
      model: 'claude-x',
      choices: [],
      // The input count the last event left null is the one message_start gave.
      usage: {
        prompt_tokens: 90,
        completion_tokens: 9,
        total_tokens: 99,
        prompt_tokens_details: { cached_tokens: 50 },
      },
    });
    expect(asked.at(-3)).toMatchObject({ choices: [{ finish_reason: 'length' }] });
    expect(asked.at(-1)).toBe('data: [DONE]');
    const notAsked = translate(events).chunks;
    expect(notAsked).toHaveLength(3);
    expect(notAsked[0]).not.toHaveProperty('usage');
  });

  it('answers an error event with an OpenAI error event, and reports the failure', () => {
    const { chunks, failure } = translate([
      start,
      ev('error', { error: { type: 'overloaded_error', message: 'Overloaded' } }),
    ]);
    expect(chunks.at(-1)).toEqual({
      error: { message: 'Overloaded', type: 'server_error', param: null, code: 'overloaded_error' },
    });
    expect(failure).toEqual({ type: 'overloaded_error', message: 'Overloaded' });
  });

  it('has no chunk for thinking, unknown events or events without JSON', () => {
    const { out } = translate([
      start,
      ev('content_block_start', { index: 0, content_block: { type: 'thinking', thinking: '' } }),
      ev('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: 'hm' } }),
      ev('something_new'),
      { raw: ': comment', event: undefined, data: undefined },
      { raw: 'data: {oops', event: undefined, data: '{oops' },
    ]);
    expect(out.slice(1)).toEqual([null, null, null, null, null]);
  });
});

describe('restoreMessagesEvent', () => {
  const restorer = () => new StreamRestorer(new Map([['<EMAIL_1>', 'jane@example.com']]));
  const text = (index: number, t: string) =>
    ev('content_block_delta', { index, delta: { type: 'text_delta', text: t } });
  const texts = (events: SseEvent[]) =>
    events
      .map((e) => JSON.parse(e.data!) as { type: string; delta?: { text?: string } })
      .map((d) => (d.type === 'content_block_delta' ? d.delta?.text : d.type));

  it('restores a placeholder split across deltas, and releases what a block holds before it stops', () => {
    const r = restorer();
    const out = [
      text(0, 'mail <EMA'),
      text(0, 'IL_1> now <EM'),
      ev('content_block_stop', { index: 0 }),
    ].flatMap((e) => restoreMessagesEvent(e, r));
    expect(texts(out)).toEqual(['mail ', 'jane@example.com now ', '<EM', 'content_block_stop']);
    expect(out[2]!.raw).toMatch(/^event: content_block_delta\ndata: /);
  });

  it('leaves other events as they are', () => {
    const r = restorer();
    const json = ev('content_block_delta', {
      index: 1,
      delta: { type: 'input_json_delta', partial_json: '"<EMAIL_1>"' },
    });
    expect(restoreMessagesEvent(json, r)).toEqual([json]);
    expect(restoreMessagesEvent(start, r)).toEqual([start]);
    expect(restoreMessagesEvent(ev('content_block_stop', { index: 1 }), r)).toHaveLength(1);
  });
});
