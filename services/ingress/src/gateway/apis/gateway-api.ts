import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { Operation } from '@llmops/contracts';
import type { ChatOutcome } from '../chat-completion';
import type { UpstreamFormat } from '../gateway-config';
import type { SentError } from '../gateway-errors';
import type { StreamTextRewriter } from '../call-hooks';
import type { SseEvent } from '../sse';

/** A message of the call's input, as the record keeps it. */
export interface InputMessage {
  role: string;
  content: string | null;
  name: string | null;
  tool_call_id: string | null;
}

/** What the record keeps of a request's input. */
export interface CallInput {
  system: string | null;
  messages: InputMessage[];
}

/** Assembles a streamed answer event by event, and says what the client gets of each event. */
export interface StreamAssembler {
  /**
   * One event from the upstream: `forward` is the event text the client gets (null: held
   * back, e.g. the usage the gateway asked for), `token` whether it carried output.
   */
  add(ev: SseEvent): { forward: string | null; token: boolean };
  outcome(): ChatOutcome;
  /** The failure the stream itself reported (an `error` event), if any: the call failed. */
  failure?(): { type: string; message: string } | null;
}

/**
 * One client API of the gateway (OpenAI Chat Completions, Responses, Embeddings…): how its
 * requests are checked and sent upstream and how its answers are read for the record. The
 * call itself (auth, routing, retries, relaying, the record) is the same for all.
 */
export interface GatewayApi {
  /** The client's path, e.g. `/v1/chat/completions`. */
  readonly path: string;
  /** The upstream's path, relative to its base URL, e.g. `chat/completions`. */
  readonly upstreamPath: string;
  readonly operation: Operation;
  /** The upstreams it goes to: a route's targets of another format are skipped… */
  readonly format: UpstreamFormat;
  /** …but those of a format it translates to: the API it speaks to each, by format. */
  readonly translations?: Partial<Record<UpstreamFormat, GatewayApi>>;
  /** A 400's explanation: what a request of this API is. */
  readonly what: string;
  /** Answers an error in this API's own error shape, so its SDKs raise their own errors. */
  sendError(reply: FastifyReply, err: unknown): SentError;
  /** The event that ends a stream of this API with `err` (a hook stopped it mid-way). */
  streamError(err: unknown): string;
  /** The client's headers that go upstream with the call (e.g. an API version). */
  upstreamHeaders?(headers: IncomingHttpHeaders): Record<string, string>;
  /** Throws an ApiError naming what is missing or malformed (beyond `model`, checked by the caller). */
  check(body: Record<string, unknown>): void;
  /** The body sent upstream: the client's, for the target's model. */
  upstreamBody(body: Record<string, unknown>, model: string): string;
  /** A non-streamed answer. */
  completion(json: unknown): ChatOutcome;
  /** The client's answer for the upstream's non-streamed JSON answer (absent: that answer). */
  clientJson?(json: unknown): unknown;
  /** The client's error body for an upstream's error answer `body` (absent: that body). */
  clientError?(status: number, body: string): string;
  /** A streamed answer's reader, for a request with body `body`. */
  assembler(body: Record<string, unknown>): StreamAssembler;
  input(body: Record<string, unknown>): CallInput;
  /**
   * Rewrites the answer's texts in one streamed event (the PII policy's restore), returning the
   * event (or events) to relay; absent for APIs whose streams cannot be rewritten yet (a call
   * that needs it is refused).
   */
  rewriteStreamEvent?(ev: SseEvent, rewriter: StreamTextRewriter): SseEvent | SseEvent[];
  /**
   * Whether a streamed event from the upstream is the stream's last (`[DONE]`, `message_stop`,
   * `response.completed`…): while records are spooled, the client gets it only once the call's
   * record is on disk.
   */
  isFinal?(ev: SseEvent): boolean;
  /** Every text of the request that goes to the model, to scan and rewrite (PII policy). */
  textSlots(body: Record<string, unknown>): TextSlot[];
}

/** One text of a request body, read and replaced in place. */
export interface TextSlot {
  text: string;
  set(text: string): void;
  /**
   * The role of the message it belongs to (`system`, `developer`, `user`, `assistant`, `tool`),
   * where the API says: guardrails tell the application's own instructions from the rest.
   */
  role?: string;
}

/**
 * The texts under `holder[key]`: a string, or a list of strings, of content parts with a
 * `text`, or of items with a `content` of their own (messages, tool results), at any depth.
 * Parts of other kinds (images, audio, files) are left alone.
 */
export function contentSlots(
  holder: unknown,
  key: string | number,
  out: TextSlot[] = [],
  role?: string,
): TextSlot[] {
  if (typeof holder !== 'object' || holder === null) return out;
  const h = holder as Record<string | number, unknown>;
  const v = h[key];
  if (typeof v === 'string') {
    out.push({ text: v, set: (t) => (h[key] = t), ...(role !== undefined ? { role } : {}) });
  } else if (Array.isArray(v)) {
    v.forEach((item, i) => {
      if (typeof item === 'string') contentSlots(v, i, out, role);
      else if (typeof item === 'object' && item !== null) {
        const own = (item as { role?: unknown }).role;
        const r = typeof own === 'string' ? own : role;
        if (typeof (item as { text?: unknown }).text === 'string')
          contentSlots(item, 'text', out, r);
        if ('content' in item) contentSlots(item, 'content', out, r);
      }
    });
  }
  return out;
}

/** The content of every message of `messages`. */
export function messageSlots(messages: unknown): TextSlot[] {
  const out: TextSlot[] = [];
  if (Array.isArray(messages))
    for (const m of messages) {
      const role = (m as { role?: unknown } | null)?.role;
      contentSlots(m, 'content', out, typeof role === 'string' ? role : undefined);
    }
  return out;
}

/** Message content as text: text parts joined, other parts named, never their data. */
export function contentText(content: unknown): string | null {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return null;
  return content
    .map((p) => {
      const part = p as { type?: unknown; text?: unknown; refusal?: unknown };
      if (typeof part.text === 'string') return part.text;
      if (typeof part.refusal === 'string') return part.refusal;
      return `[${typeof part.type === 'string' ? part.type : 'part'}]`;
    })
    .join('\n');
}

export { str } from '../json-read';
