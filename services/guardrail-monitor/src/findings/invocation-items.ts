import type { Invocation } from '@llmops/contracts';
import type { GuardrailContext, GuardrailItem } from '@llmops/guardrails';

/** One item to evaluate, with where in the record it came from. */
export interface LocatedItem {
  readonly item: GuardrailItem;
  /**
   * The record field of an item evaluated alone among its kind (`tool_calls[1]`,
   * `retrievals[0]`), put before the decision's detail; undefined for input and output, whose
   * detail names the segment already.
   */
  readonly at?: string;
  /** The tool of a `tool_call` item. */
  readonly toolName?: string;
}

/** What rules' `scope` is matched against, as the gateway builds it for a call. */
export function contextOf(inv: Invocation): GuardrailContext {
  return {
    tenant: inv.tenant_id,
    app_id: inv.app_id,
    ...(inv.agent_id ? { agent_id: inv.agent_id } : {}),
    model: inv.request_model,
    endpoint_kind: inv.endpoint.kind,
  };
}

/**
 * The items of a reported invocation, stage by stage, shaped the way the gateway evaluates a
 * call it proxies, so one rule set means the same on both paths:
 *
 * - `input`: the system instructions (when set, first, as the gateway sees a chat request's
 *   system message) and the input messages, one segment each (`messages[i]`);
 * - `output`: the text of the response (the output messages joined by line breaks), as `text`;
 * - `tool_call`: each tool call alone (the engine takes one), its arguments as JSON text (`{}`
 *   when the record has none: the call was reported without them);
 * - `retrieval`: each retrieved document alone, as `text` (a rule on "a document that gives
 *   instructions and links out" must not fire on two documents that each do one of those).
 *
 * A stage the record has nothing for yields no item: an empty text would make a `must: match`
 * rule fire on what is only absent.
 */
export function invocationItems(inv: Invocation): LocatedItem[] {
  const context = contextOf(inv);
  const items: LocatedItem[] = [];
  const messages = [
    ...(inv.system_instructions !== null
      ? [{ role: 'system', content: inv.system_instructions }]
      : []),
    ...inv.input_messages.map((m) => ({ role: m.role, content: m.content })),
  ];
  if (messages.some((m) => m.content !== null))
    items.push({ item: { stage: 'input', messages, context } });
  const output = inv.output_messages.flatMap((m) => (m.content !== null ? [m.content] : []));
  if (output.length > 0)
    items.push({ item: { stage: 'output', text: output.join('\n'), context } });
  // The record's earlier tool calls are the history of each: a reported call is judged by
  // itself, so counts and sequences over the calls of a trace are the gateway's to enforce.
  const earlier: string[] = [];
  inv.tool_calls.forEach((tc, i) => {
    const history = [...earlier];
    items.push({
      item: {
        stage: 'tool_call',
        tool_call: { name: tc.name, arguments: tc.arguments ?? '{}' },
        tool_history: { trace: history, session: history },
        context,
      },
      at: `tool_calls[${i}]`,
      toolName: tc.name,
    });
    earlier.push(tc.name);
  });
  inv.retrievals.forEach((doc, i) =>
    items.push({
      item: { stage: 'retrieval', text: doc.content, context },
      at: `retrievals[${i}]`,
    }),
  );
  return items;
}
