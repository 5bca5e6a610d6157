import { ApiError } from '../../http/api-error';
import { sendOpenAIError, openAIStreamError } from '../gateway-errors';
import { ChatStreamAssembler, completionOutcome, wantsUsage } from '../chat-completion';
import { chatViaMessages } from './chat-via-messages.api';
import { contentText, messageSlots, type GatewayApi, type StreamAssembler } from './gateway-api';

const SYSTEM_ROLES = new Set(['system', 'developer']);

/**
 * OpenAI Chat Completions. On a stream whose client did not ask for usage, the gateway asks
 * for it (`stream_options.include_usage`) and takes it out again: the usage-only chunk is held
 * back and the `"usage":null` OpenAI then adds to every chunk is removed.
 */
const openAIChat: GatewayApi = {
  path: '/v1/chat/completions',
  upstreamPath: 'chat/completions',
  operation: 'chat',
  format: 'openai',
  sendError: sendOpenAIError,
  streamError: openAIStreamError,
  isFinal: (ev) => ev.data === '[DONE]',
  what: 'a Chat Completions request',

  check(body) {
    if (!Array.isArray(body.messages) || body.messages.length === 0)
      throw new ApiError(400, 'invalid_request', 'messages must be a non-empty array', [
        { path: 'messages', message: 'must be a non-empty array' },
      ]);
  },

  upstreamBody(body, model) {
    const askUsage = body.stream === true && !wantsUsage(body);
    return JSON.stringify({
      ...body,
      model,
      ...(askUsage
        ? { stream_options: { ...(body.stream_options as object), include_usage: true } }
        : {}),
    });
  },

  completion: completionOutcome,

  assembler(body): StreamAssembler {
    const strip = !wantsUsage(body);
    const chunks = new ChatStreamAssembler();
    return {
      add(ev) {
        if (ev.data === undefined || ev.data === '[DONE]') return { forward: ev.raw, token: false };
        let chunk: { choices?: unknown[]; usage?: unknown } | undefined;
        try {
          chunk = JSON.parse(ev.data) as typeof chunk;
        } catch {
          return { forward: ev.raw, token: false };
        }
        const token = chunks.add(chunk);
        if (!strip) return { forward: ev.raw, token };
        if (Array.isArray(chunk?.choices) && chunk.choices.length === 0 && chunk.usage)
          return { forward: null, token };
        return { forward: ev.raw.replace(',"usage":null', ''), token };
      },
      outcome: () => chunks.outcome(),
    };
  },

  input(body) {
    const messages = (Array.isArray(body.messages) ? body.messages : []) as Array<
      Record<string, unknown>
    >;
    const system = messages.filter((m) => SYSTEM_ROLES.has(m.role as string));
    return {
      system:
        system.length > 0 ? system.map((m) => contentText(m.content) ?? '').join('\n\n') : null,
      messages: messages
        .filter((m) => !SYSTEM_ROLES.has(m.role as string))
        .map((m) => ({
          role: typeof m.role === 'string' ? m.role : 'user',
          content: contentText(m.content),
          name: typeof m.name === 'string' ? m.name : null,
          tool_call_id: typeof m.tool_call_id === 'string' ? m.tool_call_id : null,
        })),
    };
  },

  textSlots: (body) => messageSlots(body.messages),

  rewriteStreamEvent(ev, restorer) {
    if (ev.data === undefined || ev.data === '[DONE]') return ev;
    let chunk: { choices?: Array<Record<string, unknown>> };
    try {
      chunk = JSON.parse(ev.data) as typeof chunk;
    } catch {
      return ev;
    }
    for (const choice of chunk.choices ?? []) {
      const stream = `choice-${typeof choice.index === 'number' ? choice.index : 0}`;
      const delta = (choice.delta ?? {}) as { content?: unknown };
      if (typeof delta.content === 'string') delta.content = restorer.delta(stream, delta.content);
      if (choice.finish_reason) {
        const rest = restorer.flush(stream);
        if (rest)
          delta.content = `${typeof delta.content === 'string' ? delta.content : ''}${rest}`;
        choice.delta = delta;
      }
    }
    const data = JSON.stringify(chunk);
    return { raw: `data: ${data}`, event: ev.event, data };
  },
};

/** OpenAI Chat Completions, to OpenAI upstreams as they are and to Anthropic ones translated. */
export const chatCompletionsApi: GatewayApi = {
  ...openAIChat,
  translations: { anthropic: chatViaMessages(openAIChat) },
};
