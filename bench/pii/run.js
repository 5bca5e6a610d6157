'use strict';
// Entry point for bench/run.js: compiles the engine and its evaluation helpers
// (libs/pii/eval/tsconfig.json → libs/pii/eval/dist), then runs bench.mjs in this process.
//   node bench/pii/run.js [--write]
// Needs the baseline library installed: npm install --no-save redact-pii@3.4.0
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const tsc = require.resolve('typescript/bin/tsc');
execFileSync(
  process.execPath,
  [tsc, '-p', path.join(__dirname, '../../libs/pii/eval/tsconfig.json')],
  {
    stdio: 'inherit',
  },
);
import('./bench.mjs').catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
