import { ApiError } from '../../http/api-error';
import { sendOpenAIError, openAIStreamError } from '../gateway-errors';
import type { ChatOutcome, ChatUsage, ChoiceOutcome } from '../chat-completion';
import {
  contentSlots,
  contentText,
  str,
  type GatewayApi,
  type InputMessage,
  type StreamAssembler,
} from './gateway-api';
import { count, obj, type Json } from '../json-read';

/** The Responses API's usage (input includes cached tokens, output includes reasoning). */
function responsesUsage(u: unknown): ChatUsage | null {
  const o = obj(u);
  if (!o) return null;
  return {
    inputTokens: count(o.input_tokens),
    outputTokens: count(o.output_tokens),
    cachedInputTokens: count(obj(o.input_tokens_details)?.cached_tokens),
    reasoningTokens: count(obj(o.output_tokens_details)?.reasoning_tokens),
  };
}

/** A `response` object: its message text and function calls as one choice. */
function responseOutcome(json: unknown): ChatOutcome {
  const r = obj(json) ?? {};
  const text: string[] = [];
  const toolCalls: ChoiceOutcome['toolCalls'] = [];
  for (const item of Array.isArray(r.output) ? r.output : []) {
    const it = obj(item) ?? {};
    if (it.type === 'message') {
      for (const part of Array.isArray(it.content) ? it.content : []) {
        const p = obj(part) ?? {};
        if (typeof p.text === 'string') text.push(p.text);
        else if (typeof p.refusal === 'string') text.push(p.refusal);
      }
    } else if (it.type === 'function_call') {
      toolCalls.push({
        id: str(it.call_id) ?? str(it.id),
        name: str(it.name) ?? '',
        arguments: str(it.arguments) ?? '',
      });
    }
  }
  const status = str(r.status);
  const incomplete = str(obj(r.incomplete_details)?.reason);
  return {
    responseId: str(r.id),
    responseModel: str(r.model),
    usage: responsesUsage(r.usage),
    choices: [
      {
        index: 0,
        role: 'assistant',
        content: text.length > 0 ? text.join('') : null,
        finishReason: incomplete ?? (toolCalls.length > 0 ? 'tool_calls' : status),
        toolCalls,
      },
    ],
  };
}

/** `input` as messages: a string is one user message; items keep their role or become tool output. */
function inputMessages(input: unknown): InputMessage[] {
  if (typeof input === 'string')
    return [{ role: 'user', content: input, name: null, tool_call_id: null }];
  if (!Array.isArray(input)) return [];
  return input.map((item): InputMessage => {
    const it = obj(item) ?? {};
    if (it.type === 'function_call_output')
      return {
        role: 'tool',
        content: str(it.output) ?? contentText(it.output),
        name: null,
        tool_call_id: str(it.call_id),
      };
    if (it.type === 'function_call')
      return {
        role: 'assistant',
        content: `${str(it.name) ?? 'call'}(${str(it.arguments) ?? ''})`,
        name: null,
        tool_call_id: str(it.call_id),
      };
    return {
      role: str(it.role) ?? 'user',
      content: contentText(it.content),
      name: null,
      tool_call_id: null,
    };
  });
}

/**
 * OpenAI Responses (`POST /v1/responses`). A stream's typed events pass through unchanged; the
 * record takes the final `response.completed` (or `.incomplete` / `.failed`) response, which
 * carries the usage, and the text deltas when a stream ends before it.
 */
/** The events that end a Responses stream. */
const RESPONSE_ENDS = new Set(['response.completed', 'response.failed', 'response.incomplete']);

export const responsesApi: GatewayApi = {
  path: '/v1/responses',
  upstreamPath: 'responses',
  operation: 'chat',
  format: 'openai',
  sendError: sendOpenAIError,
  streamError: openAIStreamError,
  isFinal: (ev) => ev.event !== undefined && RESPONSE_ENDS.has(ev.event),
  what: 'a Responses request',

  check(body) {
    if (typeof body.input !== 'string' && !Array.isArray(body.input))
      throw new ApiError(
        400,
        'invalid_request',
        'input is required: a string or a list of input items',
        [{ path: 'input', message: 'must be a string or an array' }],
      );
  },

  upstreamBody: (body, model) => JSON.stringify({ ...body, model }),

  completion: responseOutcome,

  assembler(): StreamAssembler {
    const deltas: string[] = [];
    let final: ChatOutcome | undefined;
    let id: string | null = null;
    let model: string | null = null;
    return {
      add(ev) {
        if (ev.data === undefined) return { forward: ev.raw, token: false };
        let data: Json | undefined;
        try {
          data = obj(JSON.parse(ev.data));
        } catch {
          return { forward: ev.raw, token: false };
        }
        const type = str(data?.type) ?? ev.event;
        let token = false;
        if (type === 'response.output_text.delta' || type === 'response.refusal.delta') {
          const d = str(data?.delta);
          if (d) deltas.push(d);
          token = Boolean(d);
        } else if (type === 'response.function_call_arguments.delta') {
          token = true;
        } else if (type === 'response.created') {
          const r = obj(data?.response);
          id = str(r?.id);
          model = str(r?.model);
        } else if (
          type === 'response.completed' ||
          type === 'response.incomplete' ||
          type === 'response.failed'
        ) {
          final = responseOutcome(data?.response);
        }
        return { forward: ev.raw, token };
      },
      outcome: () =>
        final ?? {
          responseId: id,
          responseModel: model,
          usage: null,
          choices: [
            {
              index: 0,
              role: 'assistant',
              content: deltas.length > 0 ? deltas.join('') : null,
              finishReason: null,
              toolCalls: [],
            },
          ],
        },
    };
  },

  input(body) {
    return { system: str(body.instructions), messages: inputMessages(body.input) };
  },

  textSlots: (body) => [
    ...contentSlots(body, 'instructions', [], 'system'),
    ...contentSlots(body, 'input', [], 'user'),
  ],
};
