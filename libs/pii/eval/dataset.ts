import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EvalRecord } from './metrics';

// Beside this file when run from source (Jest), two levels up when compiled to eval/dist/eval.
const candidates = [join(__dirname, 'dataset.jsonl'), join(__dirname, '..', '..', 'dataset.jsonl')];

/** Path of the committed evaluation set. */
export const DATASET_PATH =
  candidates.find((p) => existsSync(p)) ?? join(__dirname, 'dataset.jsonl');

/** Reads eval/dataset.jsonl (or `path`). */
export function loadDataset(path = DATASET_PATH): EvalRecord[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as EvalRecord);
}
