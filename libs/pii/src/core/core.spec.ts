import type { Finding } from '../types';
import { contextWindow, scoreWithContext, type ContextSpec } from './context';
import { resolveOverlaps } from './overlap';
import { auditRegex } from './regex-audit';

const spec: ContextSpec = { words: ['card'], boost: 0.2, negative: ['order'], penalty: 0.4 };

describe('context words', () => {
  it('raises the score when a context word is near', () => {
    expect(scoreWithContext('my card 4111', 8, 12, 0.7, spec)).toBe(0.9);
  });

  it('lowers the score when a negative word comes just before', () => {
    expect(scoreWithContext('order 4111', 6, 10, 0.7, spec)).toBe(0.3);
  });

  it('ignores negative words after the value and across a new line', () => {
    expect(scoreWithContext('4111 order', 0, 4, 0.7, spec)).toBe(0.7);
    expect(scoreWithContext('order\n4111', 6, 10, 0.7, spec)).toBe(0.7);
  });

  it('stops the left context at a sentence end but keeps abbreviations', () => {
    expect(contextWindow('The order shipped. Card 4111', 24, 28)).not.toContain(' order ');
    expect(contextWindow('NHS no. 943', 8, 11)).toContain(' nhs ');
  });

  it('matches words without accents and case', () => {
    expect(contextWindow('Sécurité Sociale: 1', 18, 19)).toContain(' securite sociale ');
  });
});

const f = (
  type: Finding['type'],
  start: number,
  end: number,
  score: number,
  rule = 'r',
): Finding => ({ type, start, end, score, rule });

describe('overlap resolution', () => {
  it('keeps the higher score, then the longer span', () => {
    const out = resolveOverlaps([
      f('PHONE', 0, 12, 0.6),
      f('UK_NHS', 0, 12, 0.85),
      f('EMAIL', 20, 30, 0.9),
    ]);
    expect(out.map((x) => x.type)).toEqual(['UK_NHS', 'EMAIL']);
    expect(resolveOverlaps([f('PHONE', 0, 5, 0.8), f('CREDIT_CARD', 0, 19, 0.8)])[0]?.type).toBe(
      'CREDIT_CARD',
    );
  });

  it('gives the same answer whatever order the candidates arrive in', () => {
    const cands = [
      f('PHONE', 0, 10, 0.7),
      f('US_SSN', 5, 15, 0.7),
      f('IP_ADDRESS', 12, 20, 0.7),
      f('EMAIL', 30, 40, 0.5),
    ];
    const expected = resolveOverlaps(cands);
    for (let i = 0; i < 10; i++) {
      const shuffled = cands.slice().sort(() => (i % 2 === 0 ? 1 : -1));
      expect(resolveOverlaps(shuffled.reverse())).toEqual(expected);
    }
    expect(expected.map((x) => x.type)).toEqual(['US_SSN', 'EMAIL']);
  });

  it('keeps non-overlapping neighbours inside one cluster', () => {
    const out = resolveOverlaps([
      f('PHONE', 0, 20, 0.5),
      f('EMAIL', 0, 8, 0.9),
      f('US_SSN', 10, 20, 0.9),
    ]);
    expect(out.map((x) => x.type)).toEqual(['EMAIL', 'US_SSN']);
  });
});

describe('regex audit', () => {
  it('flags unbounded and nested quantifiers and backreferences', () => {
    expect(auditRegex('(a+)+')).not.toHaveLength(0);
    expect(auditRegex('[a-z]+@')).not.toHaveLength(0);
    expect(auditRegex('(?:ab{1,3}){1,20}')).not.toHaveLength(0);
    expect(auditRegex('(a)\\1')).not.toHaveLength(0);
  });

  it('accepts bounded patterns and small bounded nesting', () => {
    expect(auditRegex('\\d{3}-\\d{2}-\\d{4}')).toEqual([]);
    expect(auditRegex('(?:[A-Z][a-z]{1,20} ){1,4}St')).toEqual([]);
    expect(auditRegex('[+*?]{1,2}(?:x|y)?')).toEqual([]);
  });
});
