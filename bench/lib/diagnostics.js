'use strict';
// Opt-in diagnostics for a benchmark's server process, written when it gets SIGTERM
// (before its own handler runs). Off unless asked for:
//   BENCH_CPU_PROFILE=<dir>   V8 CPU profile → <dir>/<name>.cpuprofile (open in Chrome DevTools)
//   BENCH_HEAP_PROFILE=<dir>  sampled allocations, including objects later collected
//                             → <dir>/<name>.heapprofile
//   BENCH_GC_STATS=1          count and durations of garbage collections, by kind, on stderr
const fs = require('node:fs');
const path = require('node:path');

function onStop(fn) {
  process.prependOnceListener('SIGTERM', fn);
}

function inspectorSession() {
  const inspector = require('node:inspector');
  const session = new inspector.Session();
  session.connect();
  return session;
}

function cpuProfile(dir, name) {
  const session = inspectorSession();
  session.post('Profiler.enable', () => session.post('Profiler.start'));
  onStop(() =>
    session.post('Profiler.stop', (err, r) => {
      if (!err) fs.writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(r.profile));
    }),
  );
}

function heapProfile(dir, name) {
  const session = inspectorSession();
  session.post('HeapProfiler.enable', () =>
    session.post('HeapProfiler.startSampling', {
      samplingInterval: 4096,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    }),
  );
  onStop(() =>
    session.post('HeapProfiler.stopSampling', (err, r) => {
      if (!err) fs.writeFileSync(path.join(dir, `${name}.heapprofile`), JSON.stringify(r.profile));
    }),
  );
}

const GC_KINDS = {
  1: 'scavenge',
  2: 'minor mark-sweep',
  4: 'mark-compact',
  8: 'incremental marking',
  16: 'weak callbacks',
};

function gcStats(name) {
  const { PerformanceObserver } = require('node:perf_hooks');
  const byKind = new Map();
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = GC_KINDS[e.detail.kind] ?? `kind ${e.detail.kind}`;
      if (!byKind.has(kind)) byKind.set(kind, []);
      byKind.get(kind).push(e.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  onStop(() => {
    for (const [kind, ms] of byKind) {
      ms.sort((a, b) => a - b);
      const total = ms.reduce((s, x) => s + x, 0);
      process.stderr.write(
        `[${name}] gc ${kind}: ${ms.length}, ${total.toFixed(1)} ms in all, median ${ms[ms.length >> 1].toFixed(2)} ms, max ${ms[ms.length - 1].toFixed(2)} ms\n`,
      );
    }
  });
}

function installDiagnostics(name) {
  if (process.env.BENCH_CPU_PROFILE) cpuProfile(process.env.BENCH_CPU_PROFILE, name);
  if (process.env.BENCH_HEAP_PROFILE) heapProfile(process.env.BENCH_HEAP_PROFILE, name);
  if (process.env.BENCH_GC_STATS) gcStats(name);
}

module.exports = { installDiagnostics };
