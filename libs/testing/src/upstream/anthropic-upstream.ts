// A local stand-in for api.anthropic.com that the official `@anthropic-ai/sdk`
// client talks to unchanged: POST /v1/messages, streamed or not, with scripted
// faults. Deterministic, as LocalOpenAIUpstream:
//
//   answer text     "echo: " + the last user message's text (string content,
//                   or its text blocks joined by spaces)
//   input_tokens    words(system text) + 3 when a system prompt is given, plus
//                   sum over messages of words(text) + 3
//   output_tokens   words(answer); for tool_use, per call 1 + the number of
//                   8-character pieces of its JSON input
//   cache fields    0, or `cacheCreation` / `cacheRead` of an `ok` behaviour
//
// The stream sends one text_delta per word (one input_json_delta per piece).
import {
  argumentPieces,
  CommonBehaviour,
  countWords,
  Exchange,
  SseEvent,
  UpstreamHarness,
  wordDeltas,
} from './harness';
import { toolCallTokens } from './openai-chat';

/** How LocalAnthropicUpstream answers one request. */
export type AnthropicBehaviour =
  | { kind: 'ok'; cacheCreation?: number; cacheRead?: number }
  /**
   * A stream that sends its first `after` events, then an `error` event (by default
   * `overloaded_error`, as Anthropic sends when it is overloaded mid-stream) and ends.
   * A request without `stream` is answered normally.
   */
  | { kind: 'stream-error'; after: number; type?: string; message?: string }
  | CommonBehaviour;

interface MessagePlan {
  id: string;
  model: string;
  text?: string;
  calls: { id: string; name: string; arguments: string }[];
  inputTokens: number;
  outputTokens: number;
  cacheCreation: number;
  cacheRead: number;
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

function anthropicError(type: string, message: string) {
  return { type: 'error', error: { type, message } };
}

/** The text of a string or of its `text` blocks, joined by spaces. */
function blocksText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((block: { type?: unknown; text?: unknown }) =>
      block.type === 'text' && typeof block.text === 'string' ? block.text : '',
    )
    .filter((text) => text !== '')
    .join(' ');
}

export class LocalAnthropicUpstream extends UpstreamHarness<AnthropicBehaviour> {
  private sequence = 0;

  private constructor() {
    super();
  }

  /** Starts listening on 127.0.0.1, on a free port. */
  static async start(): Promise<LocalAnthropicUpstream> {
    const upstream = new LocalAnthropicUpstream();
    await upstream.listen();
    return upstream;
  }

  /** `http://127.0.0.1:<port>`, no `/v1`: the Anthropic client appends `/v1/messages`. */
  get baseUrl(): string {
    return this.origin;
  }

  protected commonHeaders(): Record<string, string> {
    return { 'request-id': `req_local${this.requests.length}` };
  }

  protected errorBody(status: number): unknown {
    const type = ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
    const messages: Record<string, string> = {
      rate_limit_error: 'Number of requests has exceeded your rate limit.',
      overloaded_error: 'Overloaded',
      api_error: 'Internal server error',
    };
    return anthropicError(type, messages[type] ?? `Local upstream answered ${status}`);
  }

  /**
   * The API takes the key as `x-api-key` or as `Authorization: Bearer` (what
   * the SDK sends since 1.0, with API version 2026-10-21), and needs an
   * `anthropic-version`.
   */
  protected refuse(exchange: Exchange<AnthropicBehaviour>): boolean {
    const { headers } = exchange.request;
    const credential =
      headers['x-api-key'] || /^Bearer (\S+)$/.exec(headers['authorization'] ?? '')?.[1];
    if (!credential) {
      exchange.json(401, anthropicError('authentication_error', 'x-api-key header is required'));
      return true;
    }
    if (!headers['anthropic-version']) {
      exchange.json(
        400,
        anthropicError('invalid_request_error', 'anthropic-version: header is required'),
      );
      return true;
    }
    exchange.request.credential = credential;
    return false;
  }

  protected notFound(exchange: Exchange<AnthropicBehaviour>): void {
    exchange.json(404, anthropicError('not_found_error', 'Not Found'));
  }

  protected handler(path: string, method: string) {
    if (method === 'POST' && path === '/v1/messages') {
      return (exchange: Exchange<AnthropicBehaviour>) => this.messages(exchange);
    }
    return undefined;
  }

  private messages(exchange: Exchange<AnthropicBehaviour>): void {
    const body = exchange.request.body as
      | {
          model?: unknown;
          system?: unknown;
          messages?: unknown;
          stream?: unknown;
          max_tokens?: unknown;
        }
      | undefined;
    if (typeof body !== 'object' || body === null || !Array.isArray(body.messages)) {
      exchange.json(400, anthropicError('invalid_request_error', 'messages: Field required'));
      return;
    }
    if (typeof body.model !== 'string' || typeof body.max_tokens !== 'number') {
      const field = typeof body.model !== 'string' ? 'model' : 'max_tokens';
      exchange.json(400, anthropicError('invalid_request_error', `${field}: Field required`));
      return;
    }
    // API version 2026-10-21 removed the sampling parameters: any of them is a 400.
    const removed = ['temperature', 'top_p', 'top_k'].find((name) => name in body);
    if (removed && exchange.request.headers['anthropic-version']! >= '2026-10-21') {
      exchange.json(
        400,
        anthropicError('invalid_request_error', `${removed}: Extra inputs are not permitted`),
      );
      return;
    }
    const messages = body.messages as { role?: unknown; content?: unknown }[];
    const system = blocksText(body.system);
    const lastUser = [...messages].reverse().find((message) => message.role === 'user');
    const { behaviour } = exchange;
    const id = `${++this.sequence}`.padStart(6, '0');
    const calls =
      behaviour?.kind === 'tool-calls'
        ? behaviour.calls.map((call, i) => ({ ...call, id: `toolu_local${id}_${i}` }))
        : [];
    const text =
      behaviour?.kind === 'tool-calls' ? undefined : `echo: ${blocksText(lastUser?.content)}`;
    const plan: MessagePlan = {
      id: `msg_local${id}`,
      model: body.model,
      text,
      calls,
      inputTokens:
        messages.reduce((sum, message) => sum + countWords(blocksText(message.content)) + 3, 0) +
        (system ? countWords(system) + 3 : 0),
      outputTokens: text !== undefined ? countWords(text) : toolCallTokens(calls),
      cacheCreation: behaviour?.kind === 'ok' ? (behaviour.cacheCreation ?? 0) : 0,
      cacheRead: behaviour?.kind === 'ok' ? (behaviour.cacheRead ?? 0) : 0,
    };
    if (body.stream !== true) exchange.json(200, message(plan));
    else if (behaviour?.kind !== 'stream-error') exchange.stream(messageEvents(plan));
    else {
      const type = behaviour.type ?? 'overloaded_error';
      const error = anthropicError(type, behaviour.message ?? 'Overloaded');
      exchange.stream([
        ...messageEvents(plan).slice(0, behaviour.after),
        { event: 'error', data: JSON.stringify(error) },
      ]);
    }
  }
}

function usage(plan: MessagePlan, outputTokens: number) {
  return {
    input_tokens: plan.inputTokens,
    cache_creation_input_tokens: plan.cacheCreation,
    cache_read_input_tokens: plan.cacheRead,
    cache_creation: { ephemeral_5m_input_tokens: plan.cacheCreation, ephemeral_1h_input_tokens: 0 },
    output_tokens: outputTokens,
    service_tier: 'standard',
  };
}

function message(plan: MessagePlan) {
  return {
    id: plan.id,
    type: 'message',
    role: 'assistant',
    model: plan.model,
    content:
      plan.text !== undefined
        ? [{ type: 'text', text: plan.text }]
        : plan.calls.map((call) => ({
            type: 'tool_use',
            id: call.id,
            name: call.name,
            input: JSON.parse(call.arguments) as unknown,
          })),
    stop_reason: plan.text !== undefined ? 'end_turn' : 'tool_use',
    stop_sequence: null,
    usage: usage(plan, plan.outputTokens),
  };
}

function messageEvents(plan: MessagePlan): SseEvent[] {
  const events: SseEvent[] = [];
  const emit = (type: string, fields: object = {}): void => {
    events.push({ event: type, data: JSON.stringify({ type, ...fields }) });
  };
  const started = { ...message(plan), content: [], stop_reason: null, usage: usage(plan, 1) };
  emit('message_start', { message: started });
  const blocks =
    plan.text !== undefined
      ? [
          {
            start: { type: 'text', text: '' },
            deltas: wordDeltas(plan.text).map((text) => ({ type: 'text_delta', text })),
          },
        ]
      : plan.calls.map((call) => ({
          start: { type: 'tool_use', id: call.id, name: call.name, input: {} },
          deltas: ['', ...argumentPieces(call.arguments)].map((partial_json) => ({
            type: 'input_json_delta',
            partial_json,
          })),
        }));
  blocks.forEach((block, index) => {
    emit('content_block_start', { index, content_block: block.start });
    if (index === 0) emit('ping');
    for (const delta of block.deltas) emit('content_block_delta', { index, delta });
    emit('content_block_stop', { index });
  });
  const {
    service_tier: _tier,
    cache_creation: _creation,
    ...final
  } = usage(plan, plan.outputTokens);
  emit('message_delta', {
    delta: { stop_reason: message(plan).stop_reason, stop_sequence: null },
    usage: final,
  });
  emit('message_stop');
  return events;
}
