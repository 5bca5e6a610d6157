import type { InjectionCheck } from '../rule-schema';
import type { CheckInput, CompileContext, CompiledCheck, Segment, Span, Violation } from './check';
import { analyse, ALL_KINDS, kindBit, signals, type Analysis } from './injection/scan';

/**
 * The `injection` check: prompt injection and jailbreak attempts found by heuristic signals
 * (override, persona, extraction, indirect, obfuscation; injection/lexicon/), each weighed in
 * its context and combined into a score per window of text. No model: patterns compiled once,
 * one linear pass per segment plus what decoding finds.
 *
 * Which texts are read: every segment but the system prompt (the operator's own words, which
 * legitimately say "never reveal these instructions") and, on the input stage, the assistant's
 * earlier turns (the model's words, replayed by the client). A text is read as a document
 * (indirect signals at full weight) on the retrieval and tool_call stages, in tool messages,
 * and when a user pastes one (e-mail headers, "summarise this:" and a block).
 */

/** @default 0.5 */
export const DEFAULT_INJECTION_THRESHOLD = 0.5;

const SKIPPED_ROLES = new Set(['system', 'developer']);
const TOOL_ROLES = new Set(['tool', 'function', 'ipython']);
const MESSAGE = /^messages\[(\d+)\]$/;
const EMBEDDED =
  /(?:^|\n)[ \t>]*(?:from|subject|to|cc|reply-to)[ \t]*:[ \t]*\S|\b(?:summari[sz]e|translate|proofread|check|review|classify|rewrite|analy[sz]e|extract|what does)\b[^\n]{0,80}(?::[ \t]*\n|\n[ \t]*\n)/i;
const DETAIL_IDS = 5;

export function compileInjection(check: InjectionCheck, ctx: CompileContext): CompiledCheck {
  // Compile the lexicon now, so that the first evaluation does not pay for it.
  signals();
  const threshold = check.threshold ?? DEFAULT_INJECTION_THRESHOLD;
  const kinds = check.kinds ? check.kinds.reduce((m, k) => m | kindBit(k), 0) : ALL_KINDS;
  const stage = ctx.stage;
  const documentStage = stage === 'retrieval' || stage === 'tool_call';

  return {
    locates: true,
    run(input: CheckInput, wantSpans: boolean): Violation | null {
      let first: { segment: string; analysis: Analysis } | null = null;
      const spans: Span[] = [];
      for (const segment of input.segments) {
        const role = roleOf(segment, input);
        if (role !== undefined && SKIPPED_ROLES.has(role)) continue;
        if (role === 'assistant' && stage === 'input') continue;
        const isArguments = segment.name === 'tool_call.arguments';
        const text = isArguments ? jsonStrings(segment.text) : segment.text;
        const document =
          documentStage ||
          (role !== undefined && TOOL_ROLES.has(role)) ||
          (() => EMBEDDED.test(text));
        const analysis = analyse(text, isArguments ? null : input.normalised(segment), {
          kinds,
          document,
        });
        if (analysis.score < threshold) continue;
        first ??= { segment: segment.name, analysis };
        if (!wantSpans) break;
        spans.push(...spansOf(segment, analysis, isArguments));
      }
      if (first === null) return null;
      const ids = [...new Set(first.analysis.hits.map((h) => h.id))].slice(0, DETAIL_IDS);
      const detail = `injection score ${first.analysis.score.toFixed(2)} (threshold ${threshold}) in ${first.segment}: ${ids.join(', ')}`;
      return wantSpans ? { detail, spans } : { detail };
    },
  };
}

function roleOf(segment: Segment, input: CheckInput): string | undefined {
  const m = MESSAGE.exec(segment.name);
  if (m === null) return undefined;
  return input.item?.messages?.[Number(m[1])]?.role.toLowerCase();
}

/**
 * Where to redact: what the signals of the best window matched. In tool arguments (read as
 * their JSON strings, whose offsets are not the JSON's) and where no signal has a place (a
 * fake dialogue), the whole segment.
 */
function spansOf(segment: Segment, analysis: Analysis, whole: boolean): Span[] {
  const spans: Span[] = [];
  if (!whole)
    for (const h of analysis.hits)
      if (h.end > h.start) spans.push({ segment: segment.name, start: h.start, end: h.end });
  if (spans.length === 0) spans.push({ segment: segment.name, start: 0, end: segment.text.length });
  return spans;
}

/** A tool call's arguments as the text it carries: its JSON strings, one per line. */
function jsonStrings(text: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text;
  }
  const out: string[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (depth > 32) return;
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) for (const x of v) walk(x, depth + 1);
    else if (v !== null && typeof v === 'object')
      for (const x of Object.values(v)) walk(x, depth + 1);
  };
  walk(value, 0);
  return out.join('\n');
}
