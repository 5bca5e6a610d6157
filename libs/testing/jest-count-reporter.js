// A Jest reporter that records how many tests passed and failed in a run, so
// `npm test` (llmops test) can close with one "N passed, N failed" line over
// every project and stage. Writes to $LLMOPS_TEST_COUNTS_DIR when set.
const fs = require('node:fs');
const path = require('node:path');
const { randomUUID } = require('node:crypto');

class CountReporter {
  onRunComplete(_contexts, results) {
    const dir = process.env.LLMOPS_TEST_COUNTS_DIR;
    if (!dir) return;
    fs.mkdirSync(dir, { recursive: true });
    const counts = {
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    };
    fs.writeFileSync(path.join(dir, `${randomUUID()}.json`), JSON.stringify(counts));
  }
}

module.exports = CountReporter;
