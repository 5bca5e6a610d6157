import { figures, gateFailures, quantile, score } from './score';

const rules = [
  { id: 'inj', stage: 'input' },
  { id: 'json', stage: 'output' },
];

describe('score', () => {
  it('counts each rule only on the items of its stage, so unseen items are no true negatives', () => {
    const s = score(
      [
        { id: 1, stage: 'input', expected: ['inj'], fired: ['inj'] },
        { id: 2, stage: 'input', expected: ['inj'], fired: [] },
        { id: 3, stage: 'input', expected: [], fired: ['inj'] },
        { id: 4, stage: 'input', expected: [], fired: [] },
        { id: 5, stage: 'output', expected: ['json'], fired: ['json'] },
      ],
      rules,
    );
    expect(s.rules.inj).toMatchObject({ tp: 1, fn: 1, fp: 1, tn: 1, precision: 0.5, recall: 0.5 });
    expect(s.rules.inj!.false_positive_rate).toBe(0.5);
    expect(s.rules.json).toMatchObject({ tp: 1, fp: 0, fn: 0, tn: 0, precision: 1, recall: 1 });
    expect(s.overall).toMatchObject({ tp: 2, fp: 1, fn: 1, tn: 1 });
    expect(s.misses.map((m) => m.id)).toEqual([2, 3]);
    expect(s.misses[0]).toMatchObject({ missing: ['inj'], extra: [] });
    expect(s.misses[1]).toMatchObject({ missing: [], extra: ['inj'] });
  });

  it('scores items by whether anything should fire and whether anything did', () => {
    const s = score(
      [
        { id: 'a', stage: 'input', expected: ['inj'], fired: ['json'] },
        { id: 'b', stage: 'input', expected: [], fired: [] },
      ],
      rules,
    );
    expect(s.items).toMatchObject({ tp: 1, fp: 0, fn: 0, tn: 1 });
    // …while per rule, firing the wrong rule is a miss and a false alarm.
    expect(s.rules.inj).toMatchObject({ tp: 0, fn: 1 });
  });

  it('gives per-family detection and false-alarm counts', () => {
    const s = score(
      [
        { id: 1, stage: 'input', family: 'override', expected: ['inj'], fired: ['inj'] },
        { id: 2, stage: 'input', family: 'override', expected: ['inj'], fired: [] },
        { id: 3, stage: 'input', family: 'research', expected: [], fired: ['inj'] },
      ],
      rules,
    );
    expect(s.families).toEqual([
      { family: 'override', items: 2, positives: 2, detected: 1, false_alarms: 0 },
      { family: 'research', items: 1, positives: 0, detected: 0, false_alarms: 1 },
    ]);
  });

  it('leaves precision and recall undefined when there is nothing to divide, and F1 0 when both are 0', () => {
    expect(figures({ tp: 0, fp: 0, fn: 0, tn: 3 })).toMatchObject({
      precision: null,
      recall: null,
      f1: null,
      false_positive_rate: 0,
    });
    expect(figures({ tp: 0, fp: 2, fn: 2, tn: 0 })).toMatchObject({
      precision: 0,
      recall: 0,
      f1: 0,
    });
    expect(figures({ tp: 3, fp: 1, fn: 2, tn: 0 }).f1).toBeCloseTo((2 * 0.75 * 0.6) / 1.35);
  });
});

describe('quantile', () => {
  it('takes the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(quantile(values, 0.5)).toBe(50);
    expect(quantile(values, 0.99)).toBe(99);
    expect(quantile([7], 0.99)).toBe(7);
    expect(quantile([], 0.5)).toBeNull();
  });
});

describe('gateFailures', () => {
  const s = score(
    [
      { id: 1, stage: 'input', expected: ['inj'], fired: ['inj'] },
      { id: 2, stage: 'input', expected: ['inj'], fired: [] },
    ],
    rules,
  );

  it('names every figure under its gate', () => {
    expect(gateFailures(s, { minRecall: 0.9, minPrecision: 0.9 })).toEqual([
      'overall: recall 0.500 < 0.9',
      'rule inj: recall 0.500 < 0.9',
    ]);
  });

  it('passes a gate that the figures meet', () => {
    expect(gateFailures(s, { minRecall: 0.5, minPrecision: 1 })).toEqual([]);
  });
});
