// Most detectors start from a cue: a word (`name`, `born`, `password`), a vendor key head
// (`ghp_`, `AKIA`), an honorific, a PEM header, a German street suffix. Searching for each
// family separately costs a pass over the text per family, and even one regex alternation of
// all of them costs more than the rest of a scan of ordinary prose. So the cues are compiled
// into one Aho-Corasick automaton, case-folded for ASCII, and the text is walked once: one
// table lookup per character, linear by construction (no backtracking to audit). Detectors
// then check case and boundaries on the original text at the offsets they care about.

/** Which detector a cue serves. */
export type CueFamily = 'person' | 'dob' | 'secret' | 'vendor' | 'title' | 'pem' | 'street-de';

const expand = (heads: string[], tails: string[]): string[] =>
  heads.flatMap((h) => tails.map((t) => h + t));

/** Every cue word, lower case, with its family. Exported for tests. */
export const CUE_WORDS: ReadonlyArray<readonly [string, CueFamily]> = [
  ...[
    'name',
    'dear',
    'regards,',
    'sincerely,',
    'cheers,',
    'thanks,',
    'best,',
    'signed by',
    'attn',
    'attention:',
    'patient',
    'contact person',
    'from:',
    'to:',
    'cc:',
  ].map((w) => [w, 'person'] as const),
  ...['birth', 'born', 'dob', 'd.o.b', 'bday', 'geboren', 'nacimiento', 'naissance'].map(
    (w) => [w, 'dob'] as const,
  ),
  ...['key', 'secret', 'token', 'pass', 'pwd', 'credential', 'bearer', 'authorization'].map(
    (w) => [w, 'secret'] as const,
  ),
  ...[
    ...[
      'akia',
      'asia',
      'abia',
      'acca',
      'aida',
      'aroa',
      'aipa',
      'anpa',
      'anva',
      'apka',
      'agpa',
      'aiza',
    ],
    ...expand(['gh'], ['p_', 'o_', 'u_', 's_', 'r_']),
    'github_pat_',
    ...expand(
      ['gl'],
      ['pat-', 'dt-', 'rt-', 'ptt-', 'ft-', 'cbt-', 'imt-', 'oas-', 'soat-', 'agent-'],
    ),
    ...expand(['xox'], ['a-', 'b-', 'p-', 'o-', 's-', 'r-', 'e-']),
    'xapp-',
    'hooks.slack.com',
    ...expand(['sk_', 'rk_'], ['live_', 'test_']),
    'whsec_',
    'sk-',
  ].map((w) => [w, 'vendor'] as const),
  ...[...expand(['mr', 'mrs', 'ms', 'mx', 'dr', 'prof', 'sr', 'sra'], [' ', '. ']), 'miss '].map(
    (w) => [w, 'title'] as const,
  ),
  ['-----begin ', 'pem'],
  ...['straße', 'strasse', 'str.'].map((w) => [w, 'street-de'] as const),
];

// Character classes: 0 for anything no cue contains; ASCII letters folded to lower case.
const CLASS = new Uint8Array(256);
let classes = 1;
for (const [word] of CUE_WORDS) {
  for (const ch of word) {
    const c = ch.charCodeAt(0);
    if (CLASS[c] === 0) {
      CLASS[c] = classes;
      if (c >= 97 && c <= 122) CLASS[c - 32] = classes;
      classes++;
    }
  }
}
const K = classes;

function build(): { delta: Int32Array; outputs: number[][] } {
  const goto: Array<Map<number, number>> = [new Map<number, number>()];
  const outputs: number[][] = [[]];
  CUE_WORDS.forEach(([word], index) => {
    let s = 0;
    for (const ch of word) {
      const k = CLASS[ch.charCodeAt(0)] as number;
      let next = goto[s]?.get(k);
      if (next === undefined) {
        next = goto.length;
        goto.push(new Map<number, number>());
        outputs.push([]);
        goto[s]?.set(k, next);
      }
      s = next;
    }
    outputs[s]?.push(index);
  });
  const delta = new Int32Array(goto.length * K);
  const fail = new Int32Array(goto.length);
  const queue: number[] = [];
  for (let k = 0; k < K; k++) {
    const next = goto[0]?.get(k) ?? 0;
    delta[k] = next;
    if (next !== 0) queue.push(next);
  }
  while (queue.length > 0) {
    const s = queue.shift() as number;
    outputs[s]?.push(...(outputs[fail[s] as number] ?? []));
    for (let k = 0; k < K; k++) {
      const next = goto[s]?.get(k);
      if (next === undefined) {
        delta[s * K + k] = delta[(fail[s] as number) * K + k] as number;
      } else {
        fail[next] = delta[(fail[s] as number) * K + k] as number;
        delta[s * K + k] = next;
        queue.push(next);
      }
    }
  }
  return { delta, outputs };
}

const { delta: DELTA, outputs: OUTPUTS } = build();
const HAS_OUTPUT = Uint8Array.from(OUTPUTS, (o) => (o.length > 0 ? 1 : 0));

/** One cue found in the text; `word` is the cue as listed (lower case). */
export interface Cue {
  at: number;
  word: string;
  family: CueFamily;
}

/**
 * Every cue in `text`, ordered by offset, without overlaps (at one offset the longest cue
 * wins; a cue starting inside a kept one is dropped), matched case-insensitively for ASCII.
 */
export function findCues(text: string): Cue[] {
  const hits: Cue[] = [];
  let s = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    s = DELTA[s * K + (c < 256 ? (CLASS[c] as number) : 0)] as number;
    if (HAS_OUTPUT[s] === 0) continue;
    for (const index of OUTPUTS[s] as number[]) {
      const [word, family] = CUE_WORDS[index] as readonly [string, CueFamily];
      hits.push({ at: i + 1 - word.length, word, family });
    }
  }
  if (hits.length < 2) return hits;
  hits.sort((a, b) => a.at - b.at || b.word.length - a.word.length);
  const out: Cue[] = [];
  let end = -1;
  for (const h of hits) {
    if (h.at < end) continue;
    out.push(h);
    end = h.at + h.word.length;
  }
  return out;
}
