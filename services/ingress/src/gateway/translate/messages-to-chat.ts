import { anthropicUsage } from '../apis/anthropic-messages.api';
import { openAIType } from '../gateway-errors';
import { obj, str, type Json } from '../json-read';

/**
 * Anthropic's `stop_reason` as OpenAI's `finish_reason`. `pause_turn` (a server tool's long
 * turn, which this translation never asks for) ends the answer as far as the client can tell.
 */
export function finishReason(stop: string | null): string | null {
  switch (stop) {
    case null:
      return null;
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'stop';
  }
}

/**
 * Anthropic's usage as OpenAI reports it: prompt tokens include the cache reads and writes
 * (Anthropic's `input_tokens` leave both out), the reads are the cached tokens. Read through
 * anthropicUsage, as the record is, so the two always agree.
 */
export function chatUsageOf(u: unknown): Json | null {
  const usage = anthropicUsage(u);
  if (!usage) return null;
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens },
  };
}

/** A `tool_use` block as an OpenAI tool call (its input as JSON text). */
export function toolCallOf(block: Json): Json {
  return {
    id: str(block.id),
    type: 'function',
    function: { name: str(block.name) ?? '', arguments: JSON.stringify(block.input ?? {}) },
  };
}

/**
 * An Anthropic `message` as an OpenAI `chat.completion`, created at `created` (Unix seconds).
 * The id and model are Anthropic's, as a relayed OpenAI answer's are the upstream's: the
 * client learns which model answered, and the id is the one the upstream's logs know. Blocks
 * other than text and tool use (thinking, which this translation never asks for) have no
 * place in a chat message and are left out.
 */
export function messageToCompletion(json: unknown, created: number): Json {
  const m = obj(json) ?? {};
  const text: string[] = [];
  const calls: Json[] = [];
  for (const b of Array.isArray(m.content) ? m.content : []) {
    const block = obj(b) ?? {};
    if (block.type === 'text' && typeof block.text === 'string') text.push(block.text);
    else if (block.type === 'tool_use') calls.push(toolCallOf(block));
  }
  return {
    id: str(m.id),
    object: 'chat.completion',
    created,
    model: str(m.model),
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: text.length > 0 ? text.join('') : null,
          refusal: null,
          ...(calls.length > 0 ? { tool_calls: calls } : {}),
        },
        logprobs: null,
        finish_reason: finishReason(str(m.stop_reason)),
      },
    ],
    usage: chatUsageOf(m.usage),
  };
}

/**
 * An Anthropic error body (`{"type": "error", "error": {"type", "message"}}`) answered with
 * `status`, in OpenAI's error shape: the SDKs pick the error class by status and show the
 * message; `code` keeps Anthropic's error type.
 */
export function openAIErrorBody(status: number, body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  const e = obj(obj(parsed)?.error);
  return JSON.stringify({
    error: {
      message: str(e?.message) ?? `the Anthropic upstream answered ${status}`,
      type: openAIType(status),
      param: null,
      code: str(e?.type),
    },
  });
}
