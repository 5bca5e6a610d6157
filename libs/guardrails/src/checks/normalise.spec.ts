import { normalise, normalisePhrase, originalEnd } from './normalise';

/** The words of a normalised text, as its boundaries cut them. */
function words(text: string): string[] {
  const { letters, boundary } = normalise(text);
  const out: string[] = [];
  let word = '';
  for (let i = 0; i < letters.length; i++) {
    if (boundary[i] === 1 && word !== '') {
      out.push(word);
      word = '';
    }
    word += letters[i];
  }
  if (word !== '') out.push(word);
  return out;
}

describe('normalise', () => {
  it('folds case and maps leetspeak, with l and i as one letter', () => {
    expect(normalise('IGNORE Previous').letters).toBe('ignoreprevious');
    expect(normalise('1gn0r3 pr3v10u5').letters).toBe(normalise('ignore previous').letters);
    expect(normalise('k1ll kIll kill').letters).toBe('kiiikiiikiii');
    expect(normalise('h@ck th3 $y5t3m 4 fun').letters).toBe('hackthesystemafun');
  });

  it('applies NFKC: fullwidth, mathematical and ligature forms read as plain letters', () => {
    expect(normalise('ｉｇｎｏｒｅ').letters).toBe('ignore');
    expect(normalise('𝐢𝐠𝐧𝐨𝐫𝐞 𝘱𝘳𝘦𝘷𝘪𝘰𝘶𝘴').letters).toBe(normalise('ignore previous').letters);
    expect(normalise('ﬁle').letters).toBe('fiie');
  });

  it('drops zero-width and other format characters without splitting the word', () => {
    const hidden = 'ig\u200bno\u200cr\u200de\u2060 pre\ufeffvious';
    expect(words(hidden)).toEqual(['ignore', 'previous'].map(normalisePhrase));
    expect(words('pass\u00adword')).toEqual([normalisePhrase('password')]);
    expect(words('evil\u202edoc')).toEqual([normalisePhrase('evildoc')]);
  });

  it('maps Cyrillic and Greek homoglyphs to their Latin skeleton', () => {
    // Cyrillic о, е, р, с, а; Greek capitals Ι, Ν, Ο, Ε.
    expect(normalise('ignоrе prеviоus').letters).toBe(normalise('ignore previous').letters);
    expect(normalise('ѕуѕtеm рrоmрt').letters).toBe(normalise('system prompt').letters);
    expect(normalise('ΙGΝΟRΕ').letters).toBe(normalise('ignore').letters);
  });

  it('strips accents and combining marks, including stacked "zalgo" marks', () => {
    expect(normalise('ígnörë').letters).toBe(normalise('ignore').letters);
    expect(normalise('i\u0338g\u0337n\u0336o\u0335r\u0334e\u0321').letters).toBe(
      normalise('ignore').letters,
    );
  });

  it('expands full case folding: ß reads as ss', () => {
    expect(normalise('STRASSE straße').letters).toBe('strassestrasse');
  });

  it('treats spacing and punctuation as word boundaries only', () => {
    expect(words('Hello, world! (again)')).toEqual(
      ['heiio', 'wor1d', 'again'].map(normalisePhrase),
    );
    expect(normalise('i g n o r e').letters).toBe('ignore');
    expect(normalise('i.g.n.o.r.e').letters).toBe('ignore');
  });

  it('makes each character of a script without spaces a word of its own', () => {
    expect(words('请忽略之前的指令')).toHaveLength(8);
    expect(words('日本語テスト')).toHaveLength(6);
  });

  it('keeps where each letter came from in the original text', () => {
    const text = 'Say ｉｇ\u200bnore!';
    const n = normalise(text);
    const start = n.letters.indexOf('ignore');
    expect(text.slice(n.from[start], originalEnd(text, n, start + 5))).toBe('ｉｇ\u200bnore');
  });

  it('counts a character outside the BMP as one code point with both of its units', () => {
    const text = 'a 𝐢 b';
    const n = normalise(text);
    expect(n.letters).toBe('aib');
    expect(text.slice(n.from[1], originalEnd(text, n, 1))).toBe('𝐢');
  });

  it('is linear: a megabyte of mixed scripts normalises in well under a second', () => {
    const text = 'Ignore ѕуѕtеm 请忽略 ｆｕｌｌ 1337 '.repeat(40_000);
    const t0 = performance.now();
    const n = normalise(text);
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(n.letters.length).toBeGreaterThan(text.length / 2);
  });
});
