import { performance } from 'node:perf_hooks';
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

/** Best of two runs, so a GC pause or a busy neighbour on a shared core does not count. */
function timeScan(re: RegExp, input: string): number {
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  let best = Infinity;
  for (let run = 0; run < 2; run++) {
    g.lastIndex = 0;
    const t0 = performance.now();
    for (let m = g.exec(input); m !== null; m = g.exec(input)) if (m[0].length === 0) g.lastIndex++;
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/** Linear-ish: four times the input may take at most ~4x (x3 slack for noise, +15 ms floor). */
function assertLinear(tSmall: number, tLarge: number, what: string): void {
  if (tLarge > tSmall * 12 + 15)
    throw new Error(`${what}: ${tSmall.toFixed(1)} ms for n, ${tLarge.toFixed(1)} ms for 4n`);
}

describe('ReDoS safety', () => {
  it('every rule regex is structurally safe: bounded quantifiers, no nesting beyond a small bound', () => {
    const problems = patterns.flatMap(({ name, re }) =>
      auditRegex(re.source).map((p) => `${name}: ${p}`),
    );
    expect(problems).toEqual([]);
  });

  it('every rule regex scans 25k and 100k adversarial strings from its own alphabet in linear time', () => {
    for (const { name, re } of patterns) {
      const small = adversarial(re.source, 25_000);
      const large = adversarial(re.source, 100_000);
      small.forEach((s, i) => {
        assertLinear(timeScan(re, s), timeScan(re, large[i] as string), `${name} input ${i}`);
      });
    }
  });

  it('the whole engine scans each adversarial family in linear time', () => {
    const families = patterns.slice(0, 40).map(({ re }) => re.source);
    const build = (n: number): string[] => families.map((src) => adversarial(src, n)[2] as string);
    const small = build(10_000);
    const large = build(40_000);
    const timeEngine = (input: string): number => {
      let best = Infinity;
      for (let run = 0; run < 2; run++) {
        const t0 = performance.now();
        engine.scan(input);
        best = Math.min(best, performance.now() - t0);
      }
      return best;
    };
    small.forEach((s, i) =>
      assertLinear(timeEngine(s), timeEngine(large[i] as string), `engine on family ${i}`),
    );
  });
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
