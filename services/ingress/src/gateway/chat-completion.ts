import { count, obj, str } from './json-read';

/**
 * What the audit record needs from an OpenAI Chat Completions answer, read from the whole
 * `chat.completion` object or assembled from the `chat.completion.chunk` events of a stream.
 */
export interface ChatOutcome {
  responseId: string | null;
  responseModel: string | null;
  choices: ChoiceOutcome[];
  /** As the upstream reported it; null when it reported none. */
  usage: ChatUsage | null;
}

export interface ChoiceOutcome {
  index: number;
  role: string;
  content: string | null;
  finishReason: string | null;
  toolCalls: Array<{ id: string | null; name: string; arguments: string }>;
}

export interface ChatUsage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  reasoningTokens: number;
  /** Tokens written to the prompt cache (Anthropic), part of inputTokens. */
  cacheCreationTokens?: number;
}

/** Whether a Chat Completions request asks for usage on its stream (`stream_options.include_usage`). */
export function wantsUsage(body: Record<string, unknown>): boolean {
  return obj(body.stream_options)?.include_usage === true;
}

/** OpenAI's usage object in the record's terms (prompt tokens include cached, completion include reasoning). */
export function chatUsage(u: unknown): ChatUsage | null {
  const o = obj(u);
  if (!o) return null;
  return {
    inputTokens: count(o.prompt_tokens),
    outputTokens: count(o.completion_tokens),
    cachedInputTokens: count(obj(o.prompt_tokens_details)?.cached_tokens),
    reasoningTokens: count(obj(o.completion_tokens_details)?.reasoning_tokens),
  };
}

/** A non-streamed `chat.completion`. */
export function completionOutcome(body: unknown): ChatOutcome {
  const o = obj(body) ?? {};
  const choices = Array.isArray(o.choices) ? o.choices : [];
  return {
    responseId: str(o.id),
    responseModel: str(o.model),
    usage: chatUsage(o.usage),
    choices: choices.map((c, i) => {
      const choice = obj(c) ?? {};
      const message = obj(choice.message) ?? {};
      const calls = Array.isArray(message.tool_calls) ? message.tool_calls : [];
      return {
        index: typeof choice.index === 'number' ? choice.index : i,
        role: str(message.role) ?? 'assistant',
        content: str(message.content),
        finishReason: str(choice.finish_reason),
        toolCalls: calls.map((tc) => {
          const call = obj(tc) ?? {};
          const fn = obj(call.function) ?? {};
          return { id: str(call.id), name: str(fn.name) ?? '', arguments: str(fn.arguments) ?? '' };
        }),
      };
    }),
  };
}

/**
 * Assembles a streamed answer chunk by chunk: text and tool-call arguments concatenated per
 * choice and call index, the last usage seen kept (a stream that repeats cumulative usage in
 * several chunks is counted once, at its final value).
 */
export class ChatStreamAssembler {
  private id: string | null = null;
  private model: string | null = null;
  private usage: ChatUsage | null = null;
  private readonly choices = new Map<
    number,
    {
      role: string;
      text: string[];
      finishReason: string | null;
      calls: Map<number, { id: string | null; name: string; args: string[] }>;
    }
  >();
  /** Whether any content or tool-call delta arrived (time to first token). */
  sawToken = false;

  /** One parsed `chat.completion.chunk`. Returns whether it carried a token. */
  add(chunk: unknown): boolean {
    const o = obj(chunk);
    if (!o) return false;
    this.id ??= str(o.id);
    this.model ??= str(o.model);
    const usage = chatUsage(o.usage);
    if (usage) this.usage = usage;
    let token = false;
    for (const c of Array.isArray(o.choices) ? o.choices : []) {
      const choice = obj(c);
      if (!choice) continue;
      const index = typeof choice.index === 'number' ? choice.index : 0;
      let acc = this.choices.get(index);
      if (!acc) {
        acc = { role: 'assistant', text: [], finishReason: null, calls: new Map() };
        this.choices.set(index, acc);
      }
      const delta = obj(choice.delta) ?? {};
      const role = str(delta.role);
      if (role) acc.role = role;
      const content = str(delta.content);
      if (content) {
        acc.text.push(content);
        token = true;
      }
      for (const tc of Array.isArray(delta.tool_calls) ? delta.tool_calls : []) {
        const d = obj(tc);
        if (!d) continue;
        const i = typeof d.index === 'number' ? d.index : 0;
        let call = acc.calls.get(i);
        if (!call) {
          call = { id: null, name: '', args: [] };
          acc.calls.set(i, call);
        }
        call.id ??= str(d.id);
        const fn = obj(d.function) ?? {};
        const name = str(fn.name);
        if (name) call.name += name;
        const args = str(fn.arguments);
        if (args) call.args.push(args);
        token = true;
      }
      const finish = str(choice.finish_reason);
      if (finish) acc.finishReason = finish;
    }
    if (token) this.sawToken = true;
    return token;
  }

  outcome(): ChatOutcome {
    return {
      responseId: this.id,
      responseModel: this.model,
      usage: this.usage,
      choices: [...this.choices.entries()]
        .sort(([a], [b]) => a - b)
        .map(([index, c]) => ({
          index,
          role: c.role,
          content: c.text.length > 0 ? c.text.join('') : null,
          finishReason: c.finishReason,
          toolCalls: [...c.calls.entries()]
            .sort(([a], [b]) => a - b)
            .map(([, call]) => ({ id: call.id, name: call.name, arguments: call.args.join('') })),
        })),
    };
  }
}
