import { PII_TYPES, PiiEngine, SECRET_TYPES, type Finding, type PiiType } from '@llmops/pii';
import type { PiiCheck } from '../rule-schema';
import type { CheckInput, CompiledCheck, Span, Violation } from './check';

/**
 * PII and secrets, found by the engine of `@llmops/pii` (the one the pii-scanner runs, with its
 * validators and context scoring), so a rule and the audit pipeline agree on what an e-mail
 * address or an AWS key is. One engine per rule, built when the rule is compiled; `scan` is
 * synchronous and linear in the text.
 *
 * The PII engine reads the text as written: `bob@exa\u200Bmple.com` is not an address to it. A
 * model does not care about an invisible character, so here format characters (`\p{Cf}`: zero
 * width space and joiners, U+2060, U+FEFF, the soft hyphen, bidi controls, tag characters) are
 * taken out before the scan, and the findings' offsets are mapped back onto the original text,
 * so a redaction covers the invisible characters inside the value too. Other disguises
 * (fullwidth digits, look-alike letters, a value spelt out in words) are not undone.
 *
 * The detail names the entity types and how many of each were found, never a value.
 */
export function compilePii(check: PiiCheck): CompiledCheck {
  const wanted = new Set<PiiType>(check.types ?? PII_TYPES);
  if (check.secrets_only)
    for (const t of [...wanted]) if (!SECRET_TYPES.includes(t)) wanted.delete(t);
  const engine = new PiiEngine({
    enabled: PII_TYPES.filter((t) => wanted.has(t)),
    ...(check.min_confidence !== undefined ? { minScore: check.min_confidence } : {}),
  });

  return {
    locates: true,
    run(input: CheckInput, wantSpans: boolean): Violation | null {
      const counts = new Map<PiiType, number>();
      const spans: Span[] = [];
      let first: string | null = null;
      for (const segment of input.segments) {
        const findings = scanVisible(engine, segment.text);
        if (findings.length === 0) continue;
        first ??= segment.name;
        for (const f of findings) {
          counts.set(f.type, (counts.get(f.type) ?? 0) + 1);
          if (wantSpans) spans.push({ segment: segment.name, start: f.start, end: f.end });
        }
      }
      if (first === null) return null;
      const found = PII_TYPES.filter((t) => counts.has(t))
        .map((t) => `${t} ×${counts.get(t)}`)
        .join(', ');
      const detail = `pii found: ${found} (first in ${first})`;
      return wantSpans ? { detail, spans } : { detail };
    },
  };
}

const FORMAT_RUN = /\p{Cf}+/gu;
const HAS_FORMAT = /\p{Cf}/u;

/**
 * The engine's findings on `text` read without its format characters, with offsets into
 * `text` itself. Text without any (nearly all of it) is scanned as it is.
 */
export function scanVisible(engine: PiiEngine, text: string): Finding[] {
  if (!HAS_FORMAT.test(text)) return engine.scan(text);
  // Pieces of visible text: `at` in the stripped text, `from` in the original.
  const pieces: { at: number; from: number }[] = [];
  let visible = '';
  let last = 0;
  for (const m of text.matchAll(FORMAT_RUN)) {
    if (m.index > last) {
      pieces.push({ at: visible.length, from: last });
      visible += text.slice(last, m.index);
    }
    last = m.index + m[0].length;
  }
  if (last < text.length) {
    pieces.push({ at: visible.length, from: last });
    visible += text.slice(last);
  }
  const original = (at: number, end: boolean): number => {
    // The last piece that starts at or before `at` (for an end: strictly before it).
    let lo = 0;
    let hi = pieces.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      const start = pieces[mid]!.at;
      if (end ? start < at : start <= at) lo = mid;
      else hi = mid - 1;
    }
    const piece = pieces[lo]!;
    return piece.from + (at - piece.at);
  };
  return engine
    .scan(visible)
    .map((f) => ({ ...f, start: original(f.start, false), end: original(f.end, true) }));
}
