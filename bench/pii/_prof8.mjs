import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
const require = createRequire(import.meta.url);
const { PiiEngine } = require('../../libs/pii/eval/dist/src/index.js');
const docs = readFileSync('/work/main/libs/pii/eval/dataset.jsonl', 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).text);
const e = new PiiEngine();
for (let k = 0; k < 8; k++) for (const t of docs) e.scan(t);
