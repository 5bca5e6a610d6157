import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from '../../http/api-error';
import type { ChatOutcome, ChatUsage, ChoiceOutcome } from '../chat-completion';
import { sendAnthropicError, anthropicStreamError } from '../gateway-errors';
import {
  contentSlots,
  messageSlots,
  str,
  type GatewayApi,
  type InputMessage,
  type StreamAssembler,
} from './gateway-api';
import { count, obj, type Json } from '../json-read';

/** Anthropic's API version when the client names none (the one its API reference documents). */
const DEFAULT_VERSION = '2023-06-01';

/**
 * Anthropic's usage in the record's terms. Anthropic counts `input_tokens` apart from the
 * tokens read from and written to the prompt cache; the record's input tokens include both,
 * with the reads as cached input tokens. Cache writes are priced apart (1.25× input at 5 minutes):
 * until the invocation contract has their own field they are kept in the `gateway.*` labels.
 */
export function anthropicUsage(u: unknown): (ChatUsage & { cacheCreationTokens: number }) | null {
  const o = obj(u);
  if (!o) return null;
  const read = count(o.cache_read_input_tokens);
  const created = count(o.cache_creation_input_tokens);
  return {
    inputTokens: count(o.input_tokens) + read + created,
    outputTokens: count(o.output_tokens),
    cachedInputTokens: read,
    reasoningTokens: 0,
    cacheCreationTokens: created,
  };
}

/** Text of a content value: a string, or its text, thinking and tool-result blocks, others named. */
function blocksText(content: unknown): string | null {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return null;
  return content
    .map((b) => {
      const block = obj(b) ?? {};
      if (typeof block.text === 'string') return block.text;
      if (block.type === 'tool_use')
        return `${str(block.name) ?? 'tool'}(${JSON.stringify(block.input ?? {})})`;
      if (block.type === 'tool_result') return blocksText(block.content) ?? '';
      return `[${str(block.type) ?? 'block'}]`;
    })
    .join('\n');
}

function messageOutcome(json: unknown): ChatOutcome {
  const m = obj(json) ?? {};
  const text: string[] = [];
  const toolCalls: ChoiceOutcome['toolCalls'] = [];
  for (const b of Array.isArray(m.content) ? m.content : []) {
    const block = obj(b) ?? {};
    if (block.type === 'text' && typeof block.text === 'string') text.push(block.text);
    if (block.type === 'tool_use')
      toolCalls.push({
        id: str(block.id),
        name: str(block.name) ?? '',
        arguments: JSON.stringify(block.input ?? {}),
      });
  }
  return {
    responseId: str(m.id),
    responseModel: str(m.model),
    usage: anthropicUsage(m.usage),
    choices: [
      {
        index: 0,
        role: 'assistant',
        content: text.length > 0 ? text.join('') : null,
        finishReason: str(m.stop_reason),
        toolCalls,
      },
    ],
  };
}

/** `usage` with the counts of `more` that are numbers: a null in a later event keeps the earlier count. */
function withCounts(usage: Json, more: unknown): Json {
  const out = { ...usage };
  for (const [k, v] of Object.entries(obj(more) ?? {})) if (typeof v === 'number') out[k] = v;
  return out;
}

/**
 * Reads the Messages stream (`message_start` … `content_block_delta` … `message_delta` …
 * `message_stop`): usage starts in `message_start` (input and cache tokens) and the output
 * count in `message_delta` is cumulative, so the last one is the total.
 */
function messagesAssembler(): StreamAssembler {
  let id: string | null = null;
  let model: string | null = null;
  let usage: Json = {};
  let stop: string | null = null;
  let failed: { type: string; message: string } | null = null;
  const blocks = new Map<
    number,
    { type: string; text: string[]; id: string | null; name: string; json: string[] }
  >();
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
      if (type === 'message_start') {
        const m = obj(data?.message) ?? {};
        id = str(m.id);
        model = str(m.model);
        usage = withCounts(usage, m.usage);
      } else if (type === 'content_block_start') {
        const b = obj(data?.content_block) ?? {};
        blocks.set(typeof data?.index === 'number' ? data.index : blocks.size, {
          type: str(b.type) ?? 'text',
          text: typeof b.text === 'string' && b.text ? [b.text] : [],
          id: str(b.id),
          name: str(b.name) ?? '',
          json: [],
        });
      } else if (type === 'content_block_delta') {
        const block = blocks.get(typeof data?.index === 'number' ? data.index : 0);
        const d = obj(data?.delta) ?? {};
        if (block && typeof d.text === 'string') block.text.push(d.text);
        if (block && typeof d.partial_json === 'string') block.json.push(d.partial_json);
        token = true;
      } else if (type === 'message_delta') {
        usage = withCounts(usage, data?.usage);
        stop = str(obj(data?.delta)?.stop_reason) ?? stop;
      } else if (type === 'error') {
        const e = obj(data?.error) ?? {};
        failed = {
          type: str(e.type) ?? 'api_error',
          message: str(e.message) ?? 'the upstream reported an error',
        };
      }
      return { forward: ev.raw, token };
    },
    failure: () => failed,
    outcome() {
      const ordered = [...blocks.entries()].sort(([a], [b]) => a - b).map(([, b]) => b);
      const text = ordered.filter((b) => b.type === 'text').map((b) => b.text.join(''));
      return {
        responseId: id,
        responseModel: model,
        usage: Object.keys(usage).length > 0 ? anthropicUsage(usage) : null,
        choices: [
          {
            index: 0,
            role: 'assistant',
            content: text.length > 0 ? text.join('') : null,
            finishReason: stop,
            toolCalls: ordered
              .filter((b) => b.type === 'tool_use')
              .map((b) => ({ id: b.id, name: b.name, arguments: b.json.join('') || '{}' })),
          },
        ],
      };
    },
  };
}

/**
 * Anthropic Messages (`POST /v1/messages`) to upstreams of the `anthropic` format, with
 * Anthropic's error shape. The client's `anthropic-version` and `anthropic-beta` go upstream
 * with the gateway's own credential (as `x-api-key`).
 */
export const anthropicMessagesApi: GatewayApi = {
  path: '/v1/messages',
  upstreamPath: 'v1/messages',
  operation: 'chat',
  format: 'anthropic',
  isFinal: (ev) => ev.event === 'message_stop',
  what: 'a Messages request',
  sendError: sendAnthropicError,
  streamError: anthropicStreamError,

  check(body) {
    if (!Array.isArray(body.messages) || body.messages.length === 0)
      throw new ApiError(400, 'invalid_request', 'messages must be a non-empty array', [
        { path: 'messages', message: 'must be a non-empty array' },
      ]);
    if (typeof body.max_tokens !== 'number')
      throw new ApiError(400, 'invalid_request', 'max_tokens is required by the Messages API', [
        { path: 'max_tokens', message: 'is required' },
      ]);
  },

  upstreamHeaders(h: IncomingHttpHeaders) {
    const version = h['anthropic-version'];
    const beta = h['anthropic-beta'];
    return {
      'anthropic-version': typeof version === 'string' ? version : DEFAULT_VERSION,
      ...(typeof beta === 'string' ? { 'anthropic-beta': beta } : {}),
    };
  },

  upstreamBody: (body, model) => JSON.stringify({ ...body, model }),

  completion: messageOutcome,

  assembler: messagesAssembler,

  input(body) {
    const messages = (Array.isArray(body.messages) ? body.messages : []) as Json[];
    return {
      system: blocksText(body.system),
      messages: messages.map((m): InputMessage => {
        const blocks = Array.isArray(m.content) ? (m.content as Json[]) : [];
        const result = blocks.find((b) => b.type === 'tool_result');
        return {
          role: str(m.role) ?? 'user',
          content: blocksText(m.content),
          name: null,
          tool_call_id: result ? str(result.tool_use_id) : null,
        };
      }),
    };
  },

  textSlots: (body) => [
    ...contentSlots(body, 'system', [], 'system'),
    ...messageSlots(body.messages),
  ],
};
