// Prints precision, recall and F1 per entity on eval/dataset.jsonl.
// Run: npm run eval -w @llmops/pii
import { PII_TYPES, PiiEngine } from '../src';
import { loadDataset } from './dataset';
import { evaluate, formatTable, redactionRecall } from './metrics';

const records = loadDataset();
const engine = new PiiEngine();
const predict = (text: string): ReturnType<PiiEngine['scan']> => engine.scan(text);
const rows = evaluate(records, predict, PII_TYPES);
const spans = records.reduce((n, r) => n + r.spans.length, 0);
process.stdout.write(
  `records: ${records.length}, gold spans: ${spans}\n\n${formatTable(rows)}\n\n`,
);
process.stdout.write(
  `redaction recall (any type covers the span): ${redactionRecall(records, predict).toFixed(3)}\n`,
);
