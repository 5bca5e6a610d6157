import type { RegexCheck } from '../rule-schema';
import {
  problem,
  shorten,
  type CheckInput,
  type CompileContext,
  type CompiledCheck,
  type Span,
  type Violation,
} from './check';
import { regexSafetyProblem } from './regex-safety';

/**
 * A regular expression on each segment's original text. `must: not_match` is violated by a
 * match in any segment; `must: match` when no segment matches. Patterns that recheck cannot
 * prove linear are refused at load (regex-safety.ts), so a match costs time linear in the text.
 */
export function compileRegex(check: RegexCheck, ctx: CompileContext): CompiledCheck | null {
  const flags = check.flags ?? '';
  let once: RegExp;
  let every: RegExp;
  try {
    once = new RegExp(check.pattern, flags);
    every = new RegExp(check.pattern, `${flags}g`);
  } catch {
    problem(ctx, 'pattern', 'is not a valid regular expression');
    return null;
  }
  const unsafe = regexSafetyProblem(check.pattern, flags);
  if (unsafe !== null) {
    problem(ctx, 'pattern', unsafe);
    return null;
  }
  const label = check.name ?? `/${shorten(check.pattern, 40)}/${flags}`;

  if (check.must === 'match') {
    return {
      locates: false,
      run(input: CheckInput): Violation | null {
        for (const segment of input.segments) if (once.test(segment.text)) return null;
        return { detail: `pattern ${label} did not match` };
      },
    };
  }
  return {
    locates: true,
    run(input: CheckInput, wantSpans: boolean): Violation | null {
      let first: string | null = null;
      const spans: Span[] = [];
      for (const segment of input.segments) {
        if (!once.test(segment.text)) continue;
        first ??= segment.name;
        if (!wantSpans) break;
        spans.push(...allMatches(every, segment));
      }
      if (first === null) return null;
      const detail = `pattern ${label} matched in ${first}`;
      return wantSpans ? { detail, spans } : { detail };
    },
  };
}

function allMatches(re: RegExp, segment: { name: string; text: string }): Span[] {
  const spans: Span[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(segment.text); m !== null; m = re.exec(segment.text)) {
    const end = m.index + m[0].length;
    if (end > m.index) spans.push({ segment: segment.name, start: m.index, end });
    // An empty match would find itself again: step over it.
    else re.lastIndex = m.index + 1;
  }
  re.lastIndex = 0;
  return spans;
}
