import type { EndpointKind, GuardrailDecision, GuardrailStage } from '@llmops/contracts';
import type { Segment } from './checks/check';

/** Who is calling and where the call goes: what rules' `scope` is matched against. */
export interface GuardrailContext {
  readonly tenant: string;
  readonly app_id?: string;
  readonly agent_id?: string;
  readonly model?: string;
  /** @default 'external' (as on the invocation record) */
  readonly endpoint_kind?: EndpointKind;
  /** The agent session the call belongs to (the record's `conversation_id`), for `expression`. */
  readonly session_id?: string;
  /** The W3C trace id of the call, for `expression`. */
  readonly trace_id?: string;
}

/**
 * The tool calls made before this one, by name, oldest first: earlier in the same trace, and
 * earlier in the same session (which includes the trace's). The engine keeps no state, so the
 * caller (the gateway, the monitor) keeps these lists, e.g. in Redis, and passes them with
 * every `tool_call` item; `tool_limits` and `tool_sequence` count and match on them.
 */
export interface GuardrailToolHistory {
  readonly trace: readonly string[];
  readonly session: readonly string[];
}

export interface GuardrailMessage {
  readonly role: string;
  readonly content: string | null;
}

/** What one evaluation looks at: the texts of one stage of a call. */
export interface GuardrailItem {
  readonly stage: GuardrailStage;
  readonly text?: string;
  readonly messages?: readonly GuardrailMessage[];
  /** The tool call (stage `tool_call`): its name and its arguments as JSON text. */
  readonly tool_call?: { readonly name: string; readonly arguments: string };
  readonly context: GuardrailContext;
  /** The tool calls before this one (stage `tool_call`), for `tool_limits` and `tool_sequence`. */
  readonly tool_history?: GuardrailToolHistory;
  /**
   * Where a retrieved document came from (stage `retrieval`): its URI (`https://…`,
   * `s3://bucket/key`, `kb://hr/…`) or id, for `retrieval_source`. Not a segment.
   */
  readonly source?: string;
  /**
   * The call's labels, for the `metadata` check: the gateway fills it from the request's
   * `x-llmops-*` headers (without the prefix, lower-cased) and the key's labels. Not a segment:
   * text checks do not look at it.
   */
  readonly metadata?: Readonly<Record<string, string>>;
  /**
   * The system prompt the model was given, for the `leakage` check on an answer (stage `output`
   * or `tool_call`). Not a segment: text checks do not look at it.
   */
  readonly system_prompt?: string;
  /**
   * The canary planted in that system prompt (`makeCanary`, `plantCanary`), for `leakage`: an
   * answer that holds it has repeated the system prompt. Not a segment.
   */
  readonly canary?: string;
}

/** A span to redact: `segment` names the text (`text`, `messages[2]`, `tool_call.arguments`). */
export interface GuardrailRedaction {
  readonly rule_id: string;
  readonly segment: string;
  /** UTF-16 offsets, as JavaScript indexes strings. */
  readonly start: number;
  readonly end: number;
}

export interface GuardrailResult {
  /** Some rule fired or failed (`decisions` is not empty). */
  readonly flagged: boolean;
  /** The call must stop: a `block` rule was violated, or a fail-closed rule failed. */
  readonly blocked: boolean;
  /** One per rule that fired or failed, in rule order; ready for the invocation record. */
  readonly decisions: GuardrailDecision[];
  /** Where the violated `redact` rules fired; absent when none did. */
  readonly redactions?: GuardrailRedaction[];
}

/**
 * The texts rules look at, each named: `text`, every message with content (`messages[i]`, `i`
 * its index in `messages`), and the tool call's arguments. Text checks look at all of them;
 * `tool_allowlist` at the tool call.
 */
export function segmentsOf(item: GuardrailItem): Segment[] {
  const segments: Segment[] = [];
  if (item.text !== undefined) segments.push({ name: 'text', text: item.text });
  item.messages?.forEach((m, i) => {
    if (m.content !== null) segments.push({ name: `messages[${i}]`, text: m.content });
  });
  if (item.tool_call !== undefined)
    segments.push({ name: 'tool_call.arguments', text: item.tool_call.arguments });
  return segments;
}
