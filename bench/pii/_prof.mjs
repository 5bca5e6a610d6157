import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { typicalPrompts, denseRecords } from './corpus.mjs';
const require = createRequire(import.meta.url);
const { DETECTORS } = require('../../libs/pii/eval/dist/src/detectors/index.js');
const { PiiEngine } = require('../../libs/pii/eval/dist/src/index.js');
const docs = process.argv[2] === 'dense' ? denseRecords('libs/pii/eval/dataset.jsonl').map(r => r.text) : typicalPrompts(2e6);
const bytes = docs.reduce((n, d) => n + Buffer.byteLength(d), 0);
const { scanContext } = require('../../libs/pii/eval/dist/src/detectors/detector.js'); const mk = (t) => scanContext(t, { phoneRegions: ['US','GB','FR','DE','IN'] });
for (const d of DETECTORS) {
  const out = [];
  for (const t of docs.slice(0, 300)) d.detect(t, out, mk(t));
  const t0 = performance.now();
  let n = 0;
  for (let k = 0; k < 2; k++) for (const t of docs) { const o = []; d.detect(t, o, mk(t)); n += o.length; }
  const ms = (performance.now() - t0) / 2;
  console.log(d.name.padEnd(26), (ms).toFixed(1).padStart(7), 'ms', (bytes / 1e6 / (ms / 1000)).toFixed(0).padStart(6), 'MB/s', n / 2);
}
const e = new PiiEngine();
const t0 = performance.now(); for (const t of docs) e.scan(t); const ms = performance.now() - t0;
console.log('engine', ms.toFixed(1), (bytes / 1e6 / (ms / 1000)).toFixed(1), 'MB/s');
