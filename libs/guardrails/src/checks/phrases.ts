import type { PhrasesCheck } from '../rule-schema';
import {
  problem,
  type CheckInput,
  type CompileContext,
  type CompiledCheck,
  type Span,
  type Violation,
} from './check';
import { normalisePhrase, originalEnd, type NormalisedText } from './normalise';

/**
 * Phrases and keywords, matched on normalised text (normalise.ts: case, NFKC, zero-width,
 * confusables, leetspeak, spacing). The phrases are normalised once into a trie; a text is
 * walked from each word start only, so a match starts and ends on word boundaries, and the cost
 * is the number of word starts times the length of the longest prefix they share with a phrase.
 */

interface TrieNode {
  readonly next: Map<number, TrieNode>;
  /** Index of the phrase that ends here, or -1. */
  phrase: number;
}

interface Match {
  readonly phrase: number;
  readonly start: number;
  readonly end: number;
}

function newNode(): TrieNode {
  return { next: new Map(), phrase: -1 };
}

export function compilePhrases(check: PhrasesCheck, ctx: CompileContext): CompiledCheck | null {
  const root = newNode();
  let ok = true;
  check.phrases.forEach((phrase, index) => {
    const letters = normalisePhrase(phrase);
    if (letters === '') {
      problem(ctx, `phrases[${index}]`, 'has no letters or digits to match once normalised');
      ok = false;
      return;
    }
    let node = root;
    for (let i = 0; i < letters.length; i++) {
      const code = letters.charCodeAt(i);
      let child = node.next.get(code);
      if (child === undefined) {
        child = newNode();
        node.next.set(code, child);
      }
      node = child;
    }
    // Two phrases that normalise alike: the first one names the match.
    if (node.phrase === -1) node.phrase = index;
  });
  if (!ok) return null;

  return {
    locates: true,
    run(input: CheckInput, wantSpans: boolean): Violation | null {
      let first: { match: Match; segment: string } | null = null;
      const spans: Span[] = [];
      for (const segment of input.segments) {
        const norm = input.normalised(segment);
        const matches = findPhrases(root, norm, wantSpans);
        const match = matches[0];
        if (match === undefined) continue;
        first ??= { match, segment: segment.name };
        if (!wantSpans) break;
        for (const m of matches)
          spans.push({
            segment: segment.name,
            start: norm.from[m.start]!,
            end: originalEnd(segment.text, norm, m.end - 1),
          });
      }
      if (first === null) return null;
      const detail = `phrases[${first.match.phrase}] found in ${first.segment}`;
      return wantSpans ? { detail, spans } : { detail };
    },
  };
}

/** Every match (or the first, unless `all`), by start. */
function findPhrases(root: TrieNode, norm: NormalisedText, all: boolean): Match[] {
  const { letters, boundary } = norm;
  const found: Match[] = [];
  const n = letters.length;
  for (let start = 0; start < n; start++) {
    if (boundary[start] !== 1) continue;
    let node: TrieNode | undefined = root;
    for (let j = start; j < n; j++) {
      node = node.next.get(letters.charCodeAt(j));
      if (node === undefined) break;
      if (node.phrase !== -1 && boundary[j + 1] === 1) {
        found.push({ phrase: node.phrase, start, end: j + 1 });
        if (!all) return found;
      }
    }
  }
  return found;
}
