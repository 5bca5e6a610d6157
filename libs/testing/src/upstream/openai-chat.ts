// POST /v1/chat/completions in OpenAI's wire format: the `chat.completion`
// object, and the `chat.completion.chunk` stream ended by `data: [DONE]`.
import { argumentPieces, countWords, SseEvent, ToolCallSpec, wordDeltas } from './harness';

/** Fixed `created` timestamp (2026-01-01T00:00:00Z) so answers compare exactly. */
export const LOCAL_CREATED = 1_767_225_600;

export interface ChatPlan {
  id: string;
  model: string;
  /** The assistant text, or undefined when answering with tool calls. */
  text?: string;
  calls: ToolCallSpec[];
  n: number;
  promptTokens: number;
  /** Per choice; the usage reports `n` times this. */
  completionTokens: number;
  cachedTokens: number;
  includeUsage: boolean;
  cumulativeUsage: boolean;
  /** Report no usage at all, as some local servers do (ignoring `include_usage` too). */
  omitUsage?: boolean;
}

interface ChatMessage {
  role?: unknown;
  content?: unknown;
}

/** The text of a message's content: a string, or its `text` parts joined by spaces. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: { type?: unknown; text?: unknown }) =>
      (part.type === 'text' || part.type === 'input_text' || part.type === 'output_text') &&
      typeof part.text === 'string'
        ? part.text
        : '',
    )
    .filter((text) => text !== '')
    .join(' ');
}

/** Prompt tokens: the words of every message's text plus 3 per message. */
export function promptTokensOf(messages: ChatMessage[]): number {
  return messages.reduce((sum, message) => sum + countWords(contentText(message.content)) + 3, 0);
}

/** `"echo: " + the last user message's text`. */
export function echoOf(messages: ChatMessage[]): string {
  const lastUser = [...messages].reverse().find((message) => message.role === 'user');
  return `echo: ${lastUser ? contentText(lastUser.content) : ''}`;
}

/** Completion tokens of tool calls: one for each call's name, one per argument piece. */
export function toolCallTokens(calls: ToolCallSpec[]): number {
  return calls.reduce((sum, call) => sum + 1 + argumentPieces(call.arguments).length, 0);
}

export function chatMessages(body: unknown): ChatMessage[] {
  const messages = (body as { messages?: unknown } | undefined)?.messages;
  return Array.isArray(messages) ? (messages as ChatMessage[]) : [];
}

function usageOf(plan: ChatPlan, completionTokens = plan.completionTokens * plan.n) {
  return {
    prompt_tokens: plan.promptTokens,
    completion_tokens: completionTokens,
    total_tokens: plan.promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: plan.cachedTokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function callId(plan: ChatPlan, choice: number, call: number): string {
  return `call_${plan.id.slice('chatcmpl-'.length)}_${choice}_${call}`;
}

export function chatCompletion(plan: ChatPlan): unknown {
  const choices = Array.from({ length: plan.n }, (_, index) => ({
    index,
    message:
      plan.text !== undefined
        ? { role: 'assistant', content: plan.text, refusal: null, annotations: [] }
        : {
            role: 'assistant',
            content: null,
            refusal: null,
            annotations: [],
            tool_calls: plan.calls.map((call, i) => ({
              id: callId(plan, index, i),
              type: 'function',
              function: { name: call.name, arguments: call.arguments },
            })),
          },
    logprobs: null,
    finish_reason: plan.text !== undefined ? 'stop' : 'tool_calls',
  }));
  return {
    id: plan.id,
    object: 'chat.completion',
    created: LOCAL_CREATED,
    model: plan.model,
    choices,
    ...(plan.omitUsage ? {} : { usage: usageOf(plan) }),
    service_tier: 'default',
    system_fingerprint: 'fp_local',
  };
}

/**
 * The deltas of one choice, in order. Each costs one completion token but the
 * opening `role` delta of a text answer, which carries no text.
 */
function choiceDeltas(plan: ChatPlan, choice: number): object[] {
  if (plan.text !== undefined) {
    return [
      { role: 'assistant', content: '', refusal: null },
      ...wordDeltas(plan.text).map((content) => ({ content })),
    ];
  }
  const deltas: object[] = [];
  plan.calls.forEach((call, index) => {
    const opening = {
      index,
      id: callId(plan, choice, index),
      type: 'function',
      function: { name: call.name, arguments: '' },
    };
    deltas.push(
      index === 0
        ? { role: 'assistant', content: null, refusal: null, tool_calls: [opening] }
        : { tool_calls: [opening] },
    );
    for (const piece of argumentPieces(call.arguments)) {
      deltas.push({ tool_calls: [{ index, function: { arguments: piece } }] });
    }
  });
  return deltas;
}

export function chatCompletionChunks(plan: ChatPlan): SseEvent[] {
  const perChoice = Array.from({ length: plan.n }, (_, choice) => choiceDeltas(plan, choice));
  const spent = new Array<number>(plan.n).fill(0);
  const chunk = (choices: object[], usage?: object | null): SseEvent => ({
    data: JSON.stringify({
      id: plan.id,
      object: 'chat.completion.chunk',
      created: LOCAL_CREATED,
      model: plan.model,
      service_tier: 'default',
      system_fingerprint: 'fp_local',
      choices,
      ...(usage !== undefined ? { usage } : {}),
    }),
  });
  const usageSoFar = (): object | null | undefined => {
    if (plan.cumulativeUsage)
      return usageOf(
        plan,
        spent.reduce((a, b) => a + b, 0),
      );
    return plan.includeUsage ? null : undefined;
  };
  const events: SseEvent[] = [];
  const rounds = Math.max(...perChoice.map((deltas) => deltas.length));
  for (let round = 0; round < rounds; round++) {
    perChoice.forEach((deltas, index) => {
      const delta = deltas[round];
      if (delta === undefined) return;
      if (round > 0 || plan.text === undefined) spent[index]!++;
      events.push(chunk([{ index, delta, logprobs: null, finish_reason: null }], usageSoFar()));
    });
  }
  const finish = plan.text !== undefined ? 'stop' : 'tool_calls';
  for (let index = 0; index < plan.n; index++) {
    events.push(chunk([{ index, delta: {}, logprobs: null, finish_reason: finish }], usageSoFar()));
  }
  if (plan.includeUsage) events.push(chunk([], usageOf(plan)));
  events.push({ data: '[DONE]' });
  return events;
}
