import type { GuardrailItem, GuardrailRedaction } from './item';

/** What a redacted span becomes, unless the caller says otherwise. */
export const REDACTED = '[REDACTED]';

/**
 * The item with the spans of `redactions` (from `evaluate`) replaced by `mask`, overlapping
 * and adjacent spans of one segment merged into one. The item itself is not changed.
 */
export function applyRedactions(
  item: GuardrailItem,
  redactions: readonly GuardrailRedaction[],
  mask: string = REDACTED,
): GuardrailItem {
  const bySegment = new Map<string, GuardrailRedaction[]>();
  for (const r of redactions) {
    const list = bySegment.get(r.segment) ?? [];
    list.push(r);
    bySegment.set(r.segment, list);
  }
  const apply = (segment: string, text: string) => {
    const spans = bySegment.get(segment);
    return spans ? redactText(text, spans, mask) : text;
  };
  const out: { -readonly [K in keyof GuardrailItem]: GuardrailItem[K] } = { ...item };
  if (item.text !== undefined) out.text = apply('text', item.text);
  if (item.messages !== undefined)
    out.messages = item.messages.map((m, i) =>
      m.content === null ? m : { ...m, content: apply(`messages[${i}]`, m.content) },
    );
  if (item.tool_call !== undefined)
    out.tool_call = {
      ...item.tool_call,
      arguments: apply('tool_call.arguments', item.tool_call.arguments),
    };
  return out;
}

function redactText(text: string, spans: readonly GuardrailRedaction[], mask: string): string {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  let open: { start: number; end: number } | null = null;
  const close = () => {
    if (open === null) return;
    out += text.slice(at, open.start) + mask;
    at = open.end;
    open = null;
  };
  for (const s of sorted) {
    const start = Math.max(s.start, at);
    const end = Math.min(s.end, text.length);
    if (end <= start) continue;
    if (open !== null && start <= open.end) open.end = Math.max(open.end, end);
    else {
      close();
      open = { start, end };
    }
  }
  close();
  return out + text.slice(at);
}
