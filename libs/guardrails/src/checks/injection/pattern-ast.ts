import { isLiteral } from './patterns';

/**
 * What a pattern's matches must contain, read from its source (patterns.ts), so that a
 * pattern is tried only where it can match:
 * - its first words, the words a match can start with (the pattern is tried, sticky, at each
 *   of them);
 * - its gate, the words of its least common required part: a text holding none of them
 *   cannot match, so the pattern is not tried at all. "ignore … instructions" is gated on
 *   `instructions`, not on `the`.
 */

type Node =
  | {
      readonly t: 'lit';
      readonly word: string;
      readonly prefix: boolean;
      readonly opt: boolean;
      /** It starts a word of the view (not glued to what comes before, as in `(un)(filtered)`). */
      readonly start?: boolean;
    }
  | { readonly t: 'any'; readonly opt: boolean }
  | { readonly t: 'alt'; readonly options: readonly Seq[]; readonly opt: boolean }
  | { readonly t: 'look' };
type Seq = readonly Node[];

function parse(p: string): Seq {
  let i = 0;
  const quant = (): boolean => {
    const c = p[i];
    if (c === '?' || c === '*') {
      i++;
      return true;
    }
    if (c === '+') {
      i++;
      return false;
    }
    if (c === '{') {
      const end = p.indexOf('}', i) + 1;
      const optional = /^\{0[,}]/.test(p.slice(i, end));
      i = end;
      return optional;
    }
    return false;
  };
  const seq = (wordStart: boolean): Node[] => {
    const out: Node[] = [];
    let atStart = wordStart;
    while (i < p.length && p[i] !== ')' && p[i] !== '|') {
      const c = p[i]!;
      if (c === ' ') {
        i++;
        atStart = true;
      } else if (c === '$' || c === '^') i++;
      else if (c === '(') {
        const look = /^\(\?(?:=|!|<=|<!)/.exec(p.slice(i, i + 4));
        if (look) i += look[0].length;
        else if (p[i + 1] === '?') i = p[i + 2] === ':' ? i + 3 : p.indexOf('>', i) + 1;
        else i++;
        const options: Seq[] = [seq(atStart)];
        while (p[i] === '|') {
          i++;
          options.push(seq(atStart));
        }
        const endsSpaced = p[i - 1] === ' ';
        i++; // ')'
        if (look) out.push({ t: 'look' });
        else {
          const opt = quant();
          // `(un|anti)(filtered)`: the group's words go on into what follows.
          const glued =
            !endsSpaced && i < p.length && (isLiteral(p[i]!) || (p[i] === '(' && !spaced(p, i)));
          out.push({ t: 'alt', options: glued ? options.map(openEnded) : options, opt });
          // What follows a group starts a word only if the group ended with a space; the
          // lexicon writes `( x)?` or `(x )?`, so the next space (if any) says it.
          atStart = p[i - 2] === ' ';
        }
      } else if (c === '~') {
        i++;
        while (/[0-9]/.test(p[i] ?? '')) i++;
        out.push({ t: 'any', opt: true });
        atStart = false;
      } else if (c === '_' || c === '[' || c === '.') {
        i = c === '[' ? p.indexOf(']', i) + 1 : i + 1;
        out.push({ t: 'any', opt: quant() });
        atStart = false;
      } else if (c === '\\') {
        i += 2;
        out.push({ t: 'any', opt: quant() });
        atStart = false;
      } else if (isLiteral(c)) {
        let j = i;
        while (j < p.length && isLiteral(p[j]!)) j++;
        const word = p.slice(i, j);
        const start = atStart;
        atStart = false;
        i = j;
        if (p[i] === '*') {
          i++;
          out.push({ t: 'lit', word, prefix: true, opt: false, start });
        } else if (p[i] === '?') {
          // `lines?`: the last letter is optional, the word is not (`line` or `lines`);
          // `honou?r`: a word that starts `hono`.
          i++;
          const short = word.slice(0, -1);
          if (word.length === 1) out.push({ t: 'lit', word, prefix: false, opt: true, start });
          else if (i < p.length && !' )|'.includes(p[i]!))
            out.push({ t: 'lit', word: short, prefix: true, opt: false, start });
          else
            out.push({
              t: 'alt',
              options: [
                [{ t: 'lit', word, prefix: false, opt: false, start }],
                [{ t: 'lit', word: short, prefix: false, opt: false, start }],
              ],
              opt: false,
            });
        } else {
          const glued = i < p.length && !' )|'.includes(p[i]!);
          out.push({ t: 'lit', word, prefix: glued, opt: false, start });
        }
      } else i++; // a quantifier after a lookaround, or other syntax
    }
    return out;
  };
  return seq(true);
}

/** Whether the group opening at `i` starts with a space (`( (a|b))?`): not glued to before. */
function spaced(p: string, i: number): boolean {
  const m = /^\((?:\?:|\?<[A-Za-z]\w*>|\?=|\?!|\?<=|\?<!)?/.exec(p.slice(i, i + 40));
  const after = i + (m ? m[0].length : 1);
  return p[after] === ' ' || p[after] === '(' ? p[after] === ' ' || spaced(p, after) : false;
}

/** The sequence with its last word made a prefix (it is glued to what follows). */
function openEnded(seq: Seq): Seq {
  const last = seq[seq.length - 1];
  if (last === undefined) return seq;
  const head = seq.slice(0, -1);
  if (last.t === 'lit') return [...head, { ...last, prefix: true }];
  if (last.t === 'alt') return [...head, { ...last, options: last.options.map(openEnded) }];
  return seq;
}

function nullable(node: Node): boolean {
  if (node.t === 'look') return true;
  if (node.opt) return true;
  if (node.t === 'alt') return node.options.some((o) => o.every(nullable));
  return false;
}

/** FIRST of a sequence; `null` when a match may start with any word or be empty. */
function firstOf(seq: Seq): Set<string> | null {
  const out = new Set<string>();
  for (const node of seq) {
    if (node.t === 'look') continue;
    if (node.t === 'any') return null;
    if (node.t === 'lit') out.add(node.prefix ? `${node.word}*` : node.word);
    else
      for (const option of node.options) {
        const f = firstOf(option);
        if (f === null) return null;
        for (const w of f) out.add(w);
      }
    if (!nullable(node)) return out;
  }
  return null;
}

/** The words a match can start with, or `null` (the pattern must be tried everywhere). */
export function firstWords(pattern: string): string[] | null {
  const f = firstOf(parse(pattern));
  return f === null ? null : [...f];
}

/** Where a pattern is tried: at its first words, or at a common first word followed by one of its second words. */
export interface Triggers {
  readonly words: readonly string[];
  readonly pairs: readonly (readonly [string, string])[];
}

/**
 * The triggers of a pattern: its first words, except that a common first word (`the`, `you`)
 * is replaced by the pairs it can start a match with (`you are`, `you have`), so the pattern
 * is not tried at every `the` of a text. `null` when a match can start anywhere.
 */
export function triggersOf(pattern: string): Triggers | null {
  const seq = parse(pattern);
  const first = firstOf(seq);
  if (first === null) return null;
  const words: string[] = [];
  const pairs: [string, string][] = [];
  for (const w of first) {
    if (!COMMON.has(w)) {
      words.push(w);
      continue;
    }
    const seconds = secondsAfter(seq, w);
    if (seconds === null || [...seconds].some((x) => x.endsWith('*'))) words.push(w);
    else for (const x of seconds) pairs.push([w, x]);
  }
  return { words, pairs };
}

/** The words that can follow first word `w` in a match of `seq`; `null` when any can (or none). */
function secondsAfter(seq: Seq, w: string): Set<string> | null {
  const out = new Set<string>();
  return walk(seq, w, out, 0) ? out : null;
}

/** Adds to `out` what follows `w` when `w` starts `seq`; false when that is unbounded. */
function walk(seq: Seq, w: string, out: Set<string>, depth: number): boolean {
  if (depth > 8) return false;
  for (let k = 0; k < seq.length; k++) {
    const node = seq[k]!;
    if (node.t === 'look') continue;
    if (node.t === 'any') return false;
    const rest = seq.slice(k + 1);
    if (node.t === 'lit') {
      if (node.word === w && !node.prefix) {
        const next = firstOf(rest);
        if (next === null) return false;
        for (const x of next) out.add(x);
      }
    } else
      for (const option of node.options)
        if (!walk([...option, ...rest], w, out, depth + 1)) return false;
    if (!nullable(node)) return true;
  }
  return true;
}

/**
 * The gate of a sequence: of its required parts, the one whose words are least common; for an
 * alternation, the union of each option's gate. `null` when nothing is required.
 */
function gateOfSeq(seq: Seq): Set<string> | null {
  let best: Set<string> | null = null;
  for (const node of seq) {
    if (node.t === 'look' || node.t === 'any' || nullable(node)) continue;
    const gate = gateOfNode(node);
    if (gate !== null && (best === null || cost(gate) < cost(best))) best = gate;
  }
  return best;
}

function gateOfNode(node: Node): Set<string> | null {
  if (node.t === 'lit') {
    if (node.start !== true) return null;
    return new Set([node.prefix ? `${node.word}*` : node.word]);
  }
  if (node.t !== 'alt') return null;
  const out = new Set<string>();
  for (const option of node.options) {
    const gate = gateOfSeq(option);
    if (gate === null) return null;
    for (const w of gate) out.add(w);
  }
  return out;
}

/** Words common enough in ordinary text to make a poor gate. */
const COMMON = new Set(
  (
    'a an the and or of to in on at by for from with as is are was were be been am do does did ' +
    'not no it its this that these those there here i me my we us our you your ur he she they ' +
    'them his her their what which who how when where why if then than so just only now can ' +
    'could will would shall should may might must have has had s t re ve ll d m up out about ' +
    'into over all any every each some more most other such own same too very also get got let ' +
    'say said one two new please don dont make use give tell show write read put type list ' +
    'send see like want need know help find take first last next before after above previous ' +
    'text message time way work back even well good'
  ).split(' '),
);

function cost(words: ReadonlySet<string>): number {
  let c = 0;
  for (const w of words)
    c += COMMON.has(w.replace(/\*$/, '')) ? 50 : w.endsWith('*') && w.length <= 5 ? 5 : 1;
  return c;
}

/**
 * The gate of a pattern (see the top of this file), or `null` when none can be read (then the
 * first words are the only gate).
 */
export function gateWords(pattern: string): string[] | null {
  const gate = gateOfSeq(parse(pattern));
  return gate === null ? null : [...gate];
}
