import type { GuardrailDecision, Operation } from '@llmops/contracts';
import type { ApiError } from '../http/api-error';
import type { TextSlot } from './apis/gateway-api';
import type { ChatOutcome } from './chat-completion';
import type { RouteTarget } from './gateway-config';
import type { CallerContext } from './gateway-record';
import type { PiiOutcome } from './pii-guard';

/**
 * The gateway's hook points, where policy acts on a call: before it goes upstream (on the texts
 * sent to each target, which a hook may rewrite, or refuse), during a streamed answer (on the
 * text so far, which a hook may cut short) and after the answer (before a non-streamed one
 * reaches the client). The PII policy is the first hook (pii-hook.ts); the guardrail rules are
 * the next. Hooks run in process; `before` and `after` may return a promise when they must wait
 * (a guardrail webhook, bounded by its rule's timeout and error policy), and the call waits
 * only then. `during` is synchronous: it runs between two events of a stream.
 */
export interface CallHook {
  /** For logs and records: which hook decided. */
  readonly name: string;
  /**
   * Before each attempt, on a copy of the client's body made for its target: `texts()` gives
   * its texts as slots, rewritable in place (the copy is made on the first call, so a hook
   * with nothing to do costs nothing). Runs again for a fallback target, whose endpoint kind
   * may differ.
   */
  before?(
    call: HookCall,
    texts: () => TextSlot[],
  ): BeforeResult | Promise<BeforeResult | undefined> | undefined;
  /**
   * On a streamed answer, after each event that carried text: `text` is the answer so far
   * (every choice's text and tool-call arguments, in order). A block ends the stream with an
   * error event in the API's shape; the client never gets the rest.
   */
  during?(call: HookCall, text: string): HookVerdict | undefined;
  /**
   * Whether this hook judges the answer's tool calls (in `after`): then a stream's events are
   * held from the first tool call on, until `after` has decided, so that the client never gets
   * a tool call the hook would refuse.
   */
  judgesToolCalls?(call: HookCall): boolean;
  /**
   * Once an answer is known, before the client gets it: a non-streamed answer whole; a streamed
   * one when its last event arrived, before that event is relayed (what came before it was
   * checked by `during`; a block here ends the stream with an error instead of its end).
   */
  after?(
    call: HookCall,
    outcome: ChatOutcome,
  ): HookVerdict | Promise<HookVerdict | undefined> | undefined;
}

/** What a hook sees of the call. */
export interface HookCall {
  readonly tenant: string;
  readonly caller: CallerContext;
  readonly operation: Operation;
  /** The model the client asked for (the route). */
  readonly model: string;
  /** The attempt's target: its upstream (and endpoint kind) and model. */
  readonly target: RouteTarget;
  readonly stream: boolean;
  /** Whether the API's streams can be rewritten (`answer` of a hook applied to each delta). */
  readonly canRewriteStream: boolean;
  /** What the request is (`a Chat Completions request`), for error messages. */
  readonly what: string;
}

export interface HookVerdict {
  /** Stops the call here: the client gets this error (in its API's shape). */
  block?: ApiError;
  /** The decisions the record keeps (rule, revision, stage, action…). */
  decisions?: GuardrailDecision[];
}

export interface BeforeResult extends HookVerdict {
  /** Rewrites the texts of the answer the client gets (e.g. puts redacted values back). */
  answer?: AnswerRewriter;
  /** The PII policy's outcome, for the record's `gateway.pii_action` and `pii_types`. */
  pii?: PiiOutcome;
}

/** Rewrites the texts of an answer: whole texts, and streamed deltas per stream (e.g. a choice). */
export interface AnswerRewriter extends StreamTextRewriter {
  text(text: string): string;
}

export interface StreamTextRewriter {
  /** The text to relay for `text` arriving on `stream` (a tail may be held for the next delta). */
  delta(stream: string, text: string): string;
  /** What is held for `stream`, at its end. */
  flush(stream: string): string;
}

/** The answer rewriters of several hooks, applied in their order. */
export function chainRewriters(rewriters: AnswerRewriter[]): AnswerRewriter | undefined {
  if (rewriters.length <= 1) return rewriters[0];
  return {
    text: (t) => rewriters.reduce((acc, r) => r.text(acc), t),
    delta: (stream, t) => rewriters.reduce((acc, r) => r.delta(stream, acc), t),
    flush: (stream) =>
      rewriters.reduce(
        (acc, r, i) => (i === 0 ? r.flush(stream) : r.delta(stream, acc) + r.flush(stream)),
        '',
      ),
  };
}

/** `rewrite` on every string of a JSON value, in place. */
export function rewriteJson(value: unknown, rewrite: (text: string) => string): unknown {
  if (typeof value === 'string') return rewrite(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = rewriteJson(value[i], rewrite);
  } else if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>;
    for (const k of Object.keys(o)) o[k] = rewriteJson(o[k], rewrite);
  }
  return value;
}

/** The text a `during` hook sees: every choice's text and tool-call arguments, in order. */
export function answerText(outcome: ChatOutcome): string {
  return outcome.choices
    .map((c) => [c.content ?? '', ...c.toolCalls.map((tc) => tc.arguments)].join('\n'))
    .join('\n');
}
