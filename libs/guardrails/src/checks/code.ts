import type { CodeCheck, CodeLanguage } from '../rule-schema';
import type { CheckInput, CompiledCheck, Span, Violation } from './check';
import { findCode, type CodeBlock } from './code-detect';

/**
 * Source code in the text (code-detect.ts: fenced blocks by their fence, the rest by line
 * heuristics), optionally only in some languages. `must: absent` is violated by a block of code
 * in any segment and locates the blocks (a fenced one with its fences); `must: present` is
 * violated when no segment holds any. With `languages`, a block counts when its fence names one
 * of them (`py`, `bash`, `ts` fold into python, shell, javascript) or, unfenced or fenced
 * without a name, when its lines show signals of one; a block whose language cannot be told
 * counts only for a rule without `languages`. The detail names the segment and the languages,
 * never the code.
 */
export function compileCode(check: CodeCheck): CompiledCheck {
  const wanted = check.languages && new Set<CodeLanguage>(check.languages);
  const counts = (b: CodeBlock) => !wanted || [...b.languages].some((l) => wanted.has(l));
  const which = wanted ? ` in ${check.languages!.join(', ')}` : '';

  if (check.must === 'present') {
    const missing = { detail: `no code${which} found` };
    return {
      locates: false,
      run(input: CheckInput): Violation | null {
        for (const segment of input.segments) if (findCode(segment.text).some(counts)) return null;
        return missing;
      },
    };
  }
  return {
    locates: true,
    run(input: CheckInput, wantSpans: boolean): Violation | null {
      let first: { segment: string; block: CodeBlock } | null = null;
      const spans: Span[] = [];
      for (const segment of input.segments) {
        const blocks = findCode(segment.text).filter(counts);
        const block = blocks[0];
        if (block === undefined) continue;
        first ??= { segment: segment.name, block };
        if (!wantSpans) break;
        for (const b of blocks) spans.push({ segment: segment.name, start: b.start, end: b.end });
      }
      if (first === null) return null;
      const { block } = first;
      const langs = block.languages.size > 0 ? ` (${[...block.languages].sort().join(', ')})` : '';
      const detail = `${block.fenced ? 'fenced' : 'unfenced'} code${langs} found in ${first.segment}`;
      return wantSpans ? { detail, spans } : { detail };
    },
  };
}
