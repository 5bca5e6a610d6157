'use strict';
// The gateway benchmark's load generator, in its own process (forked by run.js), on undici.
// Open loop at a fixed rate (each request's latency counts from when it was due, so a server
// that falls behind is charged for the wait: no coordinated omission), or closed loop (rate 0:
// `connections` senders back to back, for the highest rate). Times are performance.now() in
// microseconds: autocannon records whole milliseconds, too coarse for sub-millisecond goals.
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');
const undici = require(require.resolve('undici', { paths: [path.join(ROOT, 'services/ingress')] }));

function quantile(sorted, q) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/**
 * @param {{ url: string, body: string, headers: Record<string,string>, rate: number,
 *           connections: number, warmupMs: number, durationMs: number }} o
 */
async function runLoad(o) {
  const target = new URL(o.url);
  const pool = new undici.Pool(target.origin, { connections: o.connections, pipelining: 1 });
  const totals = [];
  const firsts = [];
  const statuses = {};
  let errors = 0;
  const start = performance.now();
  const windowStart = start + o.warmupMs;
  const windowEnd = windowStart + o.durationMs;

  const one = async (due) => {
    try {
      const res = await pool.request({
        method: 'POST',
        path: target.pathname,
        headers: o.headers,
        body: o.body,
      });
      let first;
      for await (const _ of res.body) first ??= performance.now();
      const end = performance.now();
      statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
      if (end >= windowStart && end < windowEnd && res.statusCode === 200) {
        totals.push(end - due);
        if (first !== undefined) firsts.push(first - due);
      }
    } catch {
      errors++;
    }
  };

  if (o.rate > 0) {
    const interval = 1000 / o.rate;
    const inFlight = new Set();
    let next = start;
    while (next < windowEnd) {
      const now = performance.now();
      while (next <= now && next < windowEnd) {
        const p = one(next).finally(() => inFlight.delete(p));
        inFlight.add(p);
        next += interval;
      }
      await new Promise((r) => setTimeout(r, Math.max(0, Math.min(next - performance.now(), 5))));
    }
    await Promise.all(inFlight);
  } else {
    const sender = async () => {
      while (performance.now() < windowEnd) await one(performance.now());
    };
    await Promise.all(Array.from({ length: o.connections }, sender));
  }
  await pool.close();
  totals.sort((a, b) => a - b);
  firsts.sort((a, b) => a - b);
  const ms = (v) => (v === null ? null : Math.round(v * 1000) / 1000);
  return {
    requestsPerS: Math.round(totals.length / (o.durationMs / 1000)),
    p50: ms(quantile(totals, 0.5)),
    p99: ms(quantile(totals, 0.99)),
    p999: ms(quantile(totals, 0.999)),
    firstP50: ms(quantile(firsts, 0.5)),
    firstP99: ms(quantile(firsts, 0.99)),
    statuses,
    errors,
  };
}

if (require.main === module) {
  process.once('message', (msg) => {
    runLoad(msg).then(
      (result) => process.send(result, () => process.exit(0)),
      (err) => {
        process.stderr.write(`bench gateway load: ${err?.stack ?? err}\n`);
        process.exit(1);
      },
    );
  });
}

module.exports = { runLoad };
