// POST /v1/responses in OpenAI's wire format: the `response` object, and the
// typed event stream (`event: response.created` … `response.completed`), each
// event with its `sequence_number`. No `[DONE]`: the Responses stream ends
// with its terminal event.
import { argumentPieces, countWords, SseEvent, ToolCallSpec, wordDeltas } from './harness';
import { contentText, LOCAL_CREATED, toolCallTokens } from './openai-chat';

export interface ResponsesPlan {
  id: string;
  model: string;
  instructions: string | null;
  text?: string;
  calls: ToolCallSpec[];
  inputTokens: number;
  cachedTokens: number;
}

interface InputItem {
  type?: unknown;
  role?: unknown;
  content?: unknown;
}

/** The input as message items: a string input is one user message. */
export function inputItems(body: unknown): InputItem[] {
  const input = (body as { input?: unknown } | undefined)?.input;
  if (typeof input === 'string') return [{ type: 'message', role: 'user', content: input }];
  if (!Array.isArray(input)) return [];
  return (input as InputItem[]).filter(
    (item) => item.type === undefined || item.type === 'message',
  );
}

/** Input tokens: words of the instructions and of every message, plus 3 per message. */
export function inputTokensOf(instructions: string | null, items: InputItem[]): number {
  const messages = items.reduce((sum, item) => sum + countWords(contentText(item.content)) + 3, 0);
  return messages + (instructions ? countWords(instructions) + 3 : 0);
}

export function outputTokensOf(plan: ResponsesPlan): number {
  return plan.text !== undefined ? countWords(plan.text) : toolCallTokens(plan.calls);
}

const suffix = (plan: ResponsesPlan): string => plan.id.slice('resp_'.length);

function messageItem(plan: ResponsesPlan, text: string, done: boolean) {
  return {
    id: `msg_${suffix(plan)}`,
    type: 'message',
    status: done ? 'completed' : 'in_progress',
    role: 'assistant',
    content: done ? [outputText(text)] : [],
  };
}

function outputText(text: string) {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

function callItem(plan: ResponsesPlan, call: ToolCallSpec, index: number, done: boolean) {
  return {
    id: `fc_${suffix(plan)}_${index}`,
    type: 'function_call',
    status: done ? 'completed' : 'in_progress',
    arguments: done ? call.arguments : '',
    call_id: `call_${suffix(plan)}_${index}`,
    name: call.name,
  };
}

function outputOf(plan: ResponsesPlan): object[] {
  if (plan.text !== undefined) return [messageItem(plan, plan.text, true)];
  return plan.calls.map((call, index) => callItem(plan, call, index, true));
}

export function responseObject(plan: ResponsesPlan, done = true): object {
  const outputTokens = outputTokensOf(plan);
  return {
    id: plan.id,
    object: 'response',
    created_at: LOCAL_CREATED,
    status: done ? 'completed' : 'in_progress',
    background: false,
    completed_at: done ? LOCAL_CREATED : null,
    error: null,
    incomplete_details: null,
    instructions: plan.instructions,
    max_output_tokens: null,
    metadata: {},
    model: plan.model,
    output: done ? outputOf(plan) : [],
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    service_tier: 'default',
    store: true,
    temperature: 1,
    text: { format: { type: 'text' }, verbosity: 'medium' },
    tool_choice: 'auto',
    tools: [],
    top_p: 1,
    truncation: 'disabled',
    usage: done
      ? {
          input_tokens: plan.inputTokens,
          input_tokens_details: { cached_tokens: plan.cachedTokens },
          output_tokens: outputTokens,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: plan.inputTokens + outputTokens,
        }
      : null,
    user: null,
  };
}

export function responseEvents(plan: ResponsesPlan): SseEvent[] {
  const events: SseEvent[] = [];
  const emit = (type: string, fields: object): void => {
    events.push({
      event: type,
      data: JSON.stringify({ type, sequence_number: events.length, ...fields }),
    });
  };
  emit('response.created', { response: responseObject(plan, false) });
  emit('response.in_progress', { response: responseObject(plan, false) });
  if (plan.text !== undefined) {
    const text = plan.text;
    const item = messageItem(plan, text, false);
    const at = { item_id: item.id, output_index: 0, content_index: 0 };
    emit('response.output_item.added', { output_index: 0, item });
    emit('response.content_part.added', { ...at, part: outputText('') });
    for (const delta of wordDeltas(text)) {
      emit('response.output_text.delta', { ...at, delta, logprobs: [] });
    }
    emit('response.output_text.done', { ...at, text, logprobs: [] });
    emit('response.content_part.done', { ...at, part: outputText(text) });
    emit('response.output_item.done', { output_index: 0, item: messageItem(plan, text, true) });
  } else {
    plan.calls.forEach((call, index) => {
      const item = callItem(plan, call, index, false);
      emit('response.output_item.added', { output_index: index, item });
      for (const delta of argumentPieces(call.arguments)) {
        emit('response.function_call_arguments.delta', {
          item_id: item.id,
          output_index: index,
          delta,
        });
      }
      emit('response.function_call_arguments.done', {
        item_id: item.id,
        output_index: index,
        name: call.name,
        arguments: call.arguments,
      });
      emit('response.output_item.done', {
        output_index: index,
        item: callItem(plan, call, index, true),
      });
    });
  }
  emit('response.completed', { response: responseObject(plan, true) });
  return events;
}
