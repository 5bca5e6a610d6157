'use strict';
// Entry point for bench/run.js: builds libs/guardrails (and what it imports) so that the figures
// are those of the current sources, then runs bench.mjs in this process.
//   node bench/guardrails/run.js [--split test|dev|all] [--json FILE]
// The npm peers it compares with (@andersmyrmel/vard, llm_guardrail) are the root package's
// devDependencies, installed by `npm ci`.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const tsc = require.resolve('typescript/bin/tsc');
for (const project of ['libs/contracts', 'libs/pii', 'libs/guardrails'])
  execFileSync(
    process.execPath,
    [tsc, '-b', path.join(__dirname, '../..', project, 'tsconfig.build.json')],
    { stdio: 'inherit' },
  );
import('./bench.mjs').catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
