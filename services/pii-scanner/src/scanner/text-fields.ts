import type { Invocation } from '@llmops/contracts';

/** One scannable text of an invocation, with its path and how to put a new value back. */
export interface TextField {
  field: string;
  text: string;
  set(inv: Invocation, value: string | null): void;
}

/**
 * Every free-text field of an invocation: system instructions, prompt and
 * response messages, tool-call arguments and results, retrieved documents
 * and the error message.
 */
export function textFields(inv: Invocation): TextField[] {
  const out: TextField[] = [];
  if (inv.system_instructions !== null) {
    out.push({
      field: 'system_instructions',
      text: inv.system_instructions,
      set: (i, v) => (i.system_instructions = v),
    });
  }
  for (const list of ['input_messages', 'output_messages'] as const) {
    inv[list].forEach((m, n) => {
      if (m.content !== null)
        out.push({
          field: `${list}[${n}].content`,
          text: m.content,
          set: (i, v) => (i[list][n]!.content = v),
        });
    });
  }
  inv.tool_calls.forEach((t, n) => {
    if (t.arguments !== null)
      out.push({
        field: `tool_calls[${n}].arguments`,
        text: t.arguments,
        set: (i, v) => (i.tool_calls[n]!.arguments = v),
      });
    if (t.result !== null)
      out.push({
        field: `tool_calls[${n}].result`,
        text: t.result,
        set: (i, v) => (i.tool_calls[n]!.result = v),
      });
  });
  inv.retrievals.forEach((r, n) => {
    out.push({
      field: `retrievals[${n}].content`,
      text: r.content,
      set: (i, v) => (i.retrievals[n]!.content = v ?? ''),
    });
  });
  if (inv.error_message !== null) {
    out.push({
      field: 'error_message',
      text: inv.error_message,
      set: (i, v) => (i.error_message = v),
    });
  }
  return out;
}
