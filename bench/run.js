'use strict';
// Runs the project's benchmarks, each in its own process.
//
//   node bench/run.js                  every benchmark
//   node bench/run.js ingest [args…]   one benchmark, with its own arguments
//
// A new benchmark is a folder with a run.js and one line in BENCHMARKS.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const BENCHMARKS = {
  ingest: {
    script: 'ingest/run.js',
    about: 'POST /v1/events throughput and latency, ingress vs bare Fastify',
  },
  'token-accountant': {
    script: 'token-accountant/run.js',
    about: 'accountant events/s vs redis-benchmark of its script; budget check latency',
  },
  pii: {
    script: 'pii/run.js',
    about: 'PII engine MB/s per core and accuracy, vs redact-pii on the same inputs',
  },
  gateway: {
    script: 'gateway/run.js',
    about:
      'latency the gateway adds over calling the upstream directly; highest rate vs a bare proxy',
  },
  guardrails: {
    script: 'guardrails/run.js',
    about:
      'injection check F1 vs two npm peers; default rules µs per 2 KB prompt; stream check CPU',
  },
  siem: {
    script: 'siem/run.js',
    about: 'siem-forwarder records/s to OCSF topic and rsyslog, vs baselines',
  },
};

function usage() {
  const list = Object.entries(BENCHMARKS)
    .map(([name, b]) => `  ${name.padEnd(18)} ${b.about}`)
    .join('\n');
  return `usage: node bench/run.js [benchmark [args…]]\n\nbenchmarks:\n${list}\n`;
}

const [name, ...args] = process.argv.slice(2);
if (name === '--help' || name === '-h') {
  process.stdout.write(usage());
  process.exit(0);
}
if (name && !BENCHMARKS[name]) {
  process.stderr.write(`unknown benchmark '${name}'\n${usage()}`);
  process.exit(2);
}
const selected = name ? [name] : Object.keys(BENCHMARKS);
let failed = 0;
for (const n of selected) {
  process.stderr.write(`\n== bench ${n}\n`);
  const r = spawnSync(
    process.execPath,
    [path.join(__dirname, BENCHMARKS[n].script), ...(name ? args : [])],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) {
    failed++;
    process.stderr.write(`bench ${n} failed (${r.signal ?? `exit ${r.status}`})\n`);
  }
}
process.exit(failed ? 1 : 0);
