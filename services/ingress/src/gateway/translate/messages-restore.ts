import { obj, str } from '../json-read';
import type { StreamTextRewriter } from '../call-hooks';
import type { SseEvent } from '../sse';

function sseEvent(type: string, data: unknown): SseEvent {
  const text = JSON.stringify(data);
  return { raw: `event: ${type}\ndata: ${text}`, event: type, data: text };
}

/**
 * Puts PII back into the text of an Anthropic Messages stream, block by block: a placeholder a
 * model emits over several `text_delta`s is restored whole, and what a block still holds when
 * it stops goes out as one more `text_delta` before its `content_block_stop`. Tool input is
 * left as the model wrote it, as on an OpenAI stream.
 */
export function restoreMessagesEvent(ev: SseEvent, restorer: StreamTextRewriter): SseEvent[] {
  if (ev.data === undefined) return [ev];
  let data: Record<string, unknown> | undefined;
  try {
    data = obj(JSON.parse(ev.data));
  } catch {
    return [ev];
  }
  const type = str(data?.type) ?? ev.event;
  const index = typeof data?.index === 'number' ? data.index : 0;
  const stream = `block-${index}`;
  if (type === 'content_block_delta') {
    const delta = obj(data?.delta);
    if (delta?.type !== 'text_delta' || typeof delta.text !== 'string') return [ev];
    delta.text = restorer.delta(stream, delta.text);
    return [sseEvent(type, data)];
  }
  if (type === 'content_block_stop') {
    const rest = restorer.flush(stream);
    if (!rest) return [ev];
    const delta = { type: 'content_block_delta', index, delta: { type: 'text_delta', text: rest } };
    return [sseEvent('content_block_delta', delta), ev];
  }
  return [ev];
}
