'use strict';
// The built token-accountant in its own process (forked by run.js), configured
// from the environment like the service. Counts the script calls it makes (a
// wrapper around the counting script's `queue`, nothing else changed) so the
// Redis-side baseline can replay calls of the same shape. Answers
//   { ready: true }                    once started (consumer running)
//   { stats: {...} } to 'stats'        calls, events, pipelines, CPU time
// and exits cleanly on SIGTERM.
const path = require('node:path');
const { installDiagnostics } = require('../lib/diagnostics');

installDiagnostics('accountant');

const dist = path.resolve(__dirname, '../../services/token-accountant/dist');
const { countScript } = require(path.join(dist, 'accounting/accountant.js'));
const { startTokenAccountant, loadAccountantConfig } = require(path.join(dist, 'index.js'));

const stats = { calls: 0, events: 0, pipelines: 0 };
let lastPipeline;
const queue = countScript.queue.bind(countScript);
countScript.queue = (pipeline, keys, args) => {
  stats.calls += 1;
  if (pipeline !== lastPipeline) {
    stats.pipelines += 1;
    lastPipeline = pipeline;
  }
  // args: ttl, nWin, 8 per window, nBudgetWindows, … , nEvents, events…
  const nWin = Number(args[1]);
  let i = 2 + nWin * 8;
  const nRefs = Number(args[i]);
  i += 1;
  for (let r = 0; r < nRefs; r++) i += 5 + 2 * Number(args[i + 4]);
  stats.events += Number(args[i]);
  return queue(pipeline, keys, args);
};

const cpuStart = process.cpuUsage();
startTokenAccountant(loadAccountantConfig(process.env)).then(
  (app) => {
    process.on('message', (msg) => {
      if (msg === 'stats') {
        const cpu = process.cpuUsage(cpuStart);
        process.send({ stats: { ...stats, cpuSeconds: (cpu.user + cpu.system) / 1e6 } });
      }
    });
    process.once('SIGTERM', () => {
      app.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
    process.send({ ready: true });
  },
  (err) => {
    process.stderr.write(`bench accountant failed to start: ${err && err.stack}\n`);
    process.exit(1);
  },
);
