import { obj, str, type Json } from '../json-read';
import type { SseEvent } from '../sse';
import { chatUsageOf, finishReason } from './messages-to-chat';

/** OpenAI's error `type` for an Anthropic error type met mid-stream (no status to go by). */
function streamErrorType(type: string | null): string {
  if (type === 'invalid_request_error') return 'invalid_request_error';
  if (type === 'rate_limit_error') return 'rate_limit_error';
  return 'server_error';
}

/**
 * Translates an Anthropic Messages stream into OpenAI `chat.completion.chunk` events, one
 * upstream event at a time (nothing is held back but what has no chunk of its own):
 * - `message_start` → the first chunk, with the role;
 * - text blocks and `text_delta` → content deltas;
 * - a `tool_use` block → a tool call delta with its index (counted among the tool calls, as
 *   OpenAI does), id and name, then each `input_json_delta` as a piece of its arguments;
 * - `message_delta` → the chunk with the finish reason;
 * - `message_stop` → the usage chunk (only when the client asked for it with
 *   `stream_options.include_usage`, and then every chunk carries `"usage": null`, as OpenAI's
 *   do), then `data: [DONE]`;
 * - `ping` → an SSE comment, which keeps the connection alive as the ping does;
 * - `error` → an OpenAI error event (`data: {"error": …}`), which the SDKs raise; the stream
 *   ends there, without `[DONE]`, and `failure()` says the call failed.
 * Thinking blocks (never asked for) and citations have no chunk.
 */
export class MessagesToChatStream {
  private id: string | null = null;
  private model: string | null = null;
  private created: number;
  private usage: Json = {};
  /** Anthropic's block index → the OpenAI tool call index of its `tool_use` block. */
  private readonly toolIndex = new Map<number, number>();
  private failed: { type: string; message: string } | null = null;

  constructor(
    private readonly includeUsage: boolean,
    private readonly now: () => number = Date.now,
  ) {
    this.created = Math.floor(this.now() / 1000);
  }

  /** The chunk text (one event or more, each `data: …`) for `ev`; null when it has none. */
  add(ev: SseEvent): string | null {
    if (ev.data === undefined) return null;
    let data: Json | undefined;
    try {
      data = obj(JSON.parse(ev.data));
    } catch {
      return null;
    }
    if (!data) return null;
    const index = typeof data.index === 'number' ? data.index : 0;
    switch (str(data.type) ?? ev.event) {
      case 'message_start': {
        const m = obj(data.message) ?? {};
        this.id = str(m.id);
        this.model = str(m.model);
        this.created = Math.floor(this.now() / 1000);
        this.usage = { ...(obj(m.usage) ?? {}) };
        return this.chunk({ role: 'assistant', content: '' });
      }
      case 'content_block_start': {
        const b = obj(data.content_block) ?? {};
        if (b.type === 'text') return str(b.text) ? this.chunk({ content: b.text }) : null;
        if (b.type !== 'tool_use') return null;
        const call = this.toolIndex.size;
        this.toolIndex.set(index, call);
        return this.chunk({
          tool_calls: [
            {
              index: call,
              id: str(b.id),
              type: 'function',
              function: { name: str(b.name) ?? '', arguments: '' },
            },
          ],
        });
      }
      case 'content_block_delta': {
        const d = obj(data.delta) ?? {};
        if (d.type === 'text_delta') return str(d.text) ? this.chunk({ content: d.text }) : null;
        const call = this.toolIndex.get(index);
        if (d.type !== 'input_json_delta' || call === undefined || !str(d.partial_json))
          return null;
        return this.chunk({
          tool_calls: [{ index: call, function: { arguments: d.partial_json } }],
        });
      }
      case 'message_delta': {
        // Counts are cumulative; a count the event leaves null keeps its earlier value.
        for (const [k, v] of Object.entries(obj(data.usage) ?? {}))
          if (v !== null) this.usage[k] = v;
        const stop = str(obj(data.delta)?.stop_reason);
        return stop ? this.chunk({}, finishReason(stop)) : null;
      }
      case 'message_stop': {
        const usage = this.includeUsage
          ? [this.event({ choices: [], usage: chatUsageOf(this.usage) })]
          : [];
        return [...usage, 'data: [DONE]'].join('\n\n');
      }
      case 'ping':
        return ': ping';
      case 'error': {
        const e = obj(data.error) ?? {};
        const type = str(e.type);
        const message = str(e.message) ?? 'the upstream stream failed';
        this.failed = { type: type ?? 'stream_error', message };
        return `data: ${JSON.stringify({ error: { message, type: streamErrorType(type), param: null, code: type } })}`;
      }
      default:
        return null;
    }
  }

  /** The upstream's error event, when the stream had one: the call failed. */
  failure(): { type: string; message: string } | null {
    return this.failed;
  }

  private chunk(delta: Json, finish: string | null = null): string {
    return this.event({
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(this.includeUsage ? { usage: null } : {}),
    });
  }

  private event(fields: Json): string {
    return `data: ${JSON.stringify({
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      ...fields,
    })}`;
  }
}
