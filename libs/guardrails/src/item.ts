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
