import { createRequire } from 'node:module';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
const require = createRequire(import.meta.url);
const { PiiEngine } = require('../../libs/pii/eval/dist/src/index.js');
if (!existsSync('/tmp/typical.json')) { const { typicalPrompts } = await import('./corpus.mjs'); writeFileSync('/tmp/typical.json', JSON.stringify(typicalPrompts(2e6))); }
const docs = JSON.parse(readFileSync('/tmp/typical.json', 'utf8'));
const e = new PiiEngine();
for (let k = 0; k < 15; k++) for (const t of docs) e.scan(t);
