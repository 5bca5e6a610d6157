import { loadDataset } from '../eval/dataset';
import { evaluate, type TypeMetrics } from '../eval/metrics';
import { PiiEngine } from './engine';
import { CHECKSUM_TYPES, PII_TYPES, SECRET_TYPES, type PiiType } from './types';

// The labelled set in eval/dataset.jsonl (see README, "Quality"). Regressions below these
// figures fail the suite; raise them when the engine improves, never lower them silently.
const engine = new PiiEngine();
const rows = new Map<string, TypeMetrics>(
  evaluate(loadDataset(), (t) => engine.scan(t), PII_TYPES).map((r) => [r.type, r]),
);
const get = (t: PiiType): TypeMetrics => rows.get(t) as TypeMetrics;

describe('quality on the labelled evaluation set', () => {
  it.each([...CHECKSUM_TYPES, ...SECRET_TYPES])(
    '%s reaches precision 0.97 and recall 0.95',
    (type) => {
      const m = get(type);
      expect(m.gold).toBeGreaterThanOrEqual(150);
      expect(m.precision).toBeGreaterThanOrEqual(0.97);
      expect(m.recall).toBeGreaterThanOrEqual(0.95);
    },
  );

  it.each<[PiiType, number, number]>([
    ['EMAIL', 0.97, 0.95],
    ['IP_ADDRESS', 0.97, 0.95],
    ['MAC_ADDRESS', 0.97, 0.95],
    ['DATE_OF_BIRTH', 0.97, 0.95],
    // Below the checksum bar on purpose, and said so in the README: phones in national format
    // of unconfigured regions are missed; names and addresses are cue-and-shape heuristics.
    ['PHONE', 0.8, 0.88],
    ['ADDRESS', 0.9, 0.55],
    ['PERSON', 0.7, 0.5],
  ])('%s stays at or above precision %s and recall %s', (type, precision, recall) => {
    expect(get(type).precision).toBeGreaterThanOrEqual(precision);
    expect(get(type).recall).toBeGreaterThanOrEqual(recall);
  });
});
