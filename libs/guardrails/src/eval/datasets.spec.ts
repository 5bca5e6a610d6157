import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRules } from '../load-rules';
import { evaluateDataset } from './run-eval';

/**
 * The shipped policy datasets are ground truth for rules that exist: every case must come out
 * as labelled, so a change of the engine that changes a verdict fails here, naming the case.
 */
const DATASETS = join(__dirname, '../../datasets');

describe.each(['tool-policy', 'output-format'])('the shipped %s dataset', (name) => {
  const dir = join(DATASETS, name);
  const rules = loadRules(readFileSync(join(dir, 'rules.yaml'), 'utf8'), `${name}/rules.yaml`);
  const report = evaluateDataset(rules, [
    { name: `${name}/cases.jsonl`, text: readFileSync(join(dir, 'cases.jsonl'), 'utf8') },
  ]);

  it('comes out exactly as labelled, every rule at precision and recall 1', () => {
    expect(report.misses).toEqual([]);
    expect(report.errors).toBe(0);
    for (const figures of Object.values(report.rules)) {
      expect(figures.fp + figures.fn).toBe(0);
      expect(figures.tp).toBeGreaterThan(0);
    }
  });
});
