#!/usr/bin/env node
'use strict';
// The llmops command line. Runs the compiled CLI (built by `npm ci`'s prepare step).
let cli;
try {
  cli = require('../dist/main.js');
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes('dist/main.js')) {
    process.stderr.write(
      'llmops: the project is not built yet; run `npm run build` (npm ci does it) and try again\n',
    );
    process.exit(2);
  }
  throw err;
}
cli.main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`llmops: ${err && err.message ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
