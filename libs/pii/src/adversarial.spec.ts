import { auditRegex } from './core/regex-audit';
import { DETECTORS } from './detectors';
import { PiiEngine } from './engine';

const engine = new PiiEngine();
const patterns = DETECTORS.flatMap((d) =>
  d.patterns.map((re) => ({ name: `${d.name} ${re.source.slice(0, 40)}`, re })),
);

/** Characters a pattern can match: its literals and a sample of every character class. */
function alphabetOf(source: string): string[] {
  const out = new Set<string>();
  const classes = source.match(/\[(?:\\.|[^\]])*\]/g) ?? [];
  for (const cls of classes) {
    const body = cls.slice(1, -1).replace(/^\^/, '');
    for (const m of body.matchAll(/(\\?.)-(\\?.)|\\([dws])|\\?(.)/g)) {
      if (m[1] && m[2]) {
        const a = m[1].replace('\\', '').charCodeAt(0);
        const b = m[2].replace('\\', '').charCodeAt(0);
        for (let c = a; c <= b && c - a < 26; c++) out.add(String.fromCharCode(c));
      } else if (m[3] === 'd') '0123456789'.split('').forEach((c) => out.add(c));
      else if (m[3] === 'w') 'aZ9_'.split('').forEach((c) => out.add(c));
      else if (m[3] === 's') out.add(' ');
      else if (m[4]) out.add(m[4]);
    }
  }
  for (const ch of source.replace(/\[(?:\\.|[^\]])*\]/g, '').replace(/\\[dwsb]/g, '')) {
    if (/[A-Za-z0-9@:.\-_/ =+#]/.test(ch)) out.add(ch);
  }
  if (/\\d/.test(source)) '0123456789'.split('').forEach((c) => out.add(c));
  return [...out];
}

/** Adversarial inputs built from a pattern's own alphabet: runs, cycles and seeded noise. */
function adversarial(source: string, n: number): string[] {
  const alpha = alphabetOf(source);
  let seed = 42;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const noise = Array.from({ length: n }, () => alpha[Math.floor(rnd() * alpha.length)]).join('');
  const cycle = alpha
    .join('')
    .repeat(Math.ceil(n / Math.max(1, alpha.length)))
    .slice(0, n);
  const literal =
    source.replace(/\\.|\[(?:\\.|[^\]])*\]|[(){}?*+|^$]|\d+,?\d*/g, '').slice(0, 12) || 'a';
  const nearMiss = (literal + cycle.slice(0, 40))
    .repeat(Math.ceil(n / (literal.length + 40)))
    .slice(0, n);
  return [noise, cycle, nearMiss, (alpha[0] ?? 'a').repeat(n)];
}

/**
 * The most UTF-16 code units one match attempt can read from its start position: what it
 * consumes plus what its lookarounds inspect (counted as if consumed, an upper bound);
 * Infinity when a quantifier is unbounded or a backreference appears. A finite window means
 * the backtracking work at each start position depends on at most that many characters, i.e.
 * it is bounded by a constant of the pattern and a global scan is linear in the input.
 */
function readWindow(source: string, flags: string): number {
  const unit = /[uv]/.test(flags) ? 2 : 1; // an astral character is two code units
  let i = 0;
  const alternation = (): number => {
    let widest = sequence();
    while (source[i] === '|') {
      i++;
      widest = Math.max(widest, sequence());
    }
    return widest;
  };
  const sequence = (): number => {
    let total = 0;
    while (i < source.length && source[i] !== '|' && source[i] !== ')') {
      const w = atom();
      const times = quantifier();
      total += w === 0 ? 0 : w * times;
    }
    return total;
  };
  const atom = (): number => {
    const c = source[i];
    if (c === '\\') {
      const e = source[i + 1] ?? '';
      i += 2;
      if (/[bB]/.test(e)) return 0;
      if (/[1-9k]/.test(e)) return Infinity; // backreference: as long as what it refers to
      if (e === 'x') i += 2;
      else if (e === 'u') i += source[i] === '{' ? source.indexOf('}', i) - i + 1 : 4;
      else if (e === 'c') i += 1;
      else if (/[pP]/.test(e)) i = source.indexOf('}', i) + 1;
      return unit;
    }
    if (c === '[') {
      i++;
      if (source[i] === '^') i++;
      if (source[i] === ']') i++;
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
      i++;
      return unit;
    }
    if (c === '(') {
      i++;
      if (source[i] === '?') {
        const named = /^\?<(?![=!])[^>]*>/.exec(source.slice(i));
        i += named ? named[0].length : source[i + 1] === '<' ? 3 : 2;
      }
      const w = alternation();
      if (source[i] !== ')') throw new Error(`unbalanced group in ${source}`);
      i++;
      return w;
    }
    i++;
    return c === '^' || c === '$' ? 0 : unit;
  };
  const quantifier = (): number => {
    const c = source[i];
    let max = 1;
    if (c === '*' || c === '+') {
      max = Infinity;
      i++;
    } else if (c === '?') {
      i++;
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
      if (!m) return 1; // a literal brace
      max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]);
      i += m[0].length;
    } else {
      return 1;
    }
    if (source[i] === '?') i++; // lazy
    return max;
  };
  const width = alternation();
  if (i !== source.length) throw new Error(`unbalanced ")" at ${i} in ${source}`);
  return width;
}

/** Every match of a global scan (the engine's way of running a rule regex). */
function scanAll(re: RegExp, input: string): number {
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  let matches = 0;
  for (let m = g.exec(input); m !== null; m = g.exec(input)) {
    matches++;
    if (m[0].length === 0) g.lastIndex++;
  }
  return matches;
}

describe('ReDoS safety', () => {
  it('every rule regex is structurally safe: bounded quantifiers, no nesting beyond a small bound', () => {
    const problems = patterns.flatMap(({ name, re }) =>
      auditRegex(re.source).map((p) => `${name}: ${p}`),
    );
    expect(problems).toEqual([]);
  });

  // No clock (a loaded CI machine is not a bug): linearity follows from a finite read window
  // together with the audit above, which bounds the backtracking inside that window.
  it('every rule regex reads a bounded window from each start position, so a scan is linear', () => {
    const unbounded = patterns
      .map(({ name, re }) => ({ name, window: readWindow(re.source, re.flags) }))
      // Finite is what makes it linear; the ceiling keeps the constant sane (the longest rule,
      // a JWT, reads about 10k characters).
      .filter(({ window }) => !Number.isFinite(window) || window > 20_000);
    expect(unbounded).toEqual([]);
  });

  it('measures the read window it relies on', () => {
    expect(readWindow('ab', '')).toBe(2);
    expect(readWindow('a{2,5}(?:bc|d)?\\b', '')).toBe(7);
    expect(readWindow('(?<=x)[a-z]{3}(?=\\.y)', 'u')).toBe(12);
    expect(readWindow('(?:a{1,3}){1,4}|z', '')).toBe(12);
    expect(readWindow('a+', '')).toBe(Infinity);
    expect(readWindow('(a)\\1', '')).toBe(Infinity);
    expect(readWindow('x{2,}', '')).toBe(Infinity);
  });

  // Hang guards: a catastrophic pattern would not finish; the generous timeout turns that into
  // a failure. They assert what the scans return, never how long they took.
  it('every rule regex scans 100k adversarial strings from its own alphabet to the end', () => {
    for (const { re } of patterns) {
      for (const input of adversarial(re.source, 100_000)) {
        expect(scanAll(re, input)).toBeLessThanOrEqual(input.length + 1);
      }
    }
  }, 120_000);

  it('the whole engine scans each adversarial family to the end, within the text', () => {
    const families = patterns.slice(0, 40).map(({ re }) => re.source);
    for (const src of families) {
      const input = adversarial(src, 40_000)[2] as string;
      for (const f of engine.scan(input)) {
        expect(f.start).toBeGreaterThanOrEqual(0);
        expect(f.end).toBeLessThanOrEqual(input.length);
      }
    }
  }, 120_000);
});

describe('very long inputs', () => {
  const MB = 1 << 20;
  const cases: Array<[string, string]> = [
    ['1 MB of one letter', 'a'.repeat(MB)],
    ['1 MB of digits and spaces', '1 2 3 4 5 6 7 8 9 0 '.repeat(MB / 20)],
    ['1 MB of a digit run', '4'.repeat(MB)],
    ['1 MB of @', '@'.repeat(MB)],
    ['1 MB of a.b@', 'a.b@'.repeat(MB / 4)],
    ['1 MB of colons and hex', 'a:'.repeat(MB / 2)],
    ['1 MB of BEGIN lines', '-----BEGIN PRIVATE KEY-----.'.repeat(MB / 28)],
    ['1 MB of secret keywords', 'password=key token: '.repeat(MB / 20)],
    ['1 MB of emoji', '😀'.repeat(MB / 2)],
    ['1 MB of URLs', 'https://u:p@h '.repeat(MB / 14)],
    ['1 MB of JWT heads', 'eyJ'.repeat(MB / 3)],
    ['1 MB of JWT near misses', 'eyJabcde.'.repeat(MB / 9)],
    ['1 MB of card-shaped numbers', '4111 1111 1111 1112 '.repeat(MB / 20)],
    ['1 MB of IPv6-shaped runs', '1:2:3:4:5:6:7:8 '.repeat(MB / 16)],
  ];

  // No clock here (the suite asserts no durations: a loaded CI machine is not a bug);
  // linear time is what the ReDoS tests above check. A catastrophic pattern would not
  // finish 1 MB at all, and the generous timeout turns that hang into a failure.
  it.each(cases)(
    '%s scans to the end and answers findings within the text',
    (_label, text) => {
      const out = engine.scan(text);
      expect(Array.isArray(out)).toBe(true);
      for (const f of out) {
        expect(f.start).toBeGreaterThanOrEqual(0);
        expect(f.end).toBeLessThanOrEqual(text.length);
      }
    },
    60_000,
  );

  it('finds an entity at the very end of 1 MB of prose, at the right offset', () => {
    const prose = 'The quick brown fox jumps over the lazy dog 42 times. '
      .repeat(Math.ceil(MB / 54))
      .slice(0, MB);
    const text = `${prose} mail bob@x.io`;
    const out = engine.scan(text);
    expect(out.map((f) => text.slice(f.start, f.end))).toEqual(['bob@x.io']);
    expect(out[0]?.start).toBe(text.length - 8);
  });
});
