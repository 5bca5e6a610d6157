import { loadDataset } from '../../eval/dataset';
import { CUE_WORDS, findCues } from './cues';

// The reference: one case-insensitive alternation, longest words first, scanned globally
// (leftmost match, longest at that offset, no overlaps): what the automaton must reproduce.
const reference = new RegExp(
  [...CUE_WORDS]
    .map(([w]) => w)
    .sort((a, b) => b.length - a.length)
    .map((w) => w.replace(/[.]/g, '\\.'))
    .join('|'),
  'gi',
);
function referenceCues(text: string): Array<[number, string]> {
  return [...text.matchAll(reference)].map((m) => [m.index, m[0].toLowerCase()]);
}

describe('cue automaton', () => {
  it('finds cues of every family, case-insensitively, at UTF-16 offsets', () => {
    const text =
      '😀 My NAME is X; Born 1990; PASSWORD=x; AKIA...; Dr. Who; -----BEGIN ; Hauptstraße 5';
    expect(
      findCues(text).map((c) => [text.slice(c.at, c.at + c.word.length).toLowerCase(), c.family]),
    ).toEqual([
      ['name', 'person'],
      ['born', 'dob'],
      ['pass', 'secret'],
      ['akia', 'vendor'],
      ['dr. ', 'title'],
      ['-----begin ', 'pem'],
      ['straße', 'street-de'],
    ]);
  });

  it('agrees with a regex alternation of the same words on the whole evaluation set', () => {
    for (const r of loadDataset()) {
      expect([r.id, findCues(r.text).map((c) => [c.at, c.word])]).toEqual([
        r.id,
        referenceCues(r.text),
      ]);
    }
  });

  it('reads each character of 1 MB of near-miss prefixes exactly once', () => {
    // The automaton never backtracks: one table step per character. Counted, not timed, by a
    // string stand-in that tallies every character read.
    const text = 'passwoghgl-xoxsk_livsecre'.repeat(40_000);
    const reads = new Uint8Array(text.length);
    const counted = {
      length: text.length,
      charCodeAt(i: number): number {
        reads[i] = (reads[i] ?? 0) + 1;
        return text.charCodeAt(i);
      },
    };
    const cues = findCues(counted as unknown as string);
    expect(cues).toEqual(findCues(text));
    expect(reads.every((n) => n === 1)).toBe(true);
  });
});
