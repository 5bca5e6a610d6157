'use strict';
// A V8 CPU profile of a benchmark's server process, from start to SIGTERM
// (BENCH_CPU_PROF_DIR): written to `<dir>/<name>-<pid>.cpuprofile`, readable
// in Chrome DevTools or with the inspector's profile format.
const fs = require('node:fs');
const inspector = require('node:inspector');
const path = require('node:path');

function profileUntilSigterm(dir, name) {
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  const write = () =>
    new Promise((resolve) => {
      session.post('Profiler.stop', (err, result) => {
        if (!err) {
          fs.mkdirSync(dir, { recursive: true });
          fs.writeFileSync(
            path.join(dir, `${name}-${process.pid}.cpuprofile`),
            JSON.stringify(result.profile),
          );
        }
        resolve();
      });
    });
  // Written before the server's own SIGTERM handling exits the process.
  process.prependOnceListener('SIGTERM', () => void write());
}

module.exports = { profileUntilSigterm };
