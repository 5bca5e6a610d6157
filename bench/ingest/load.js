'use strict';
// The load generator, in its own process (forked by run.js) so that it does
// not share an event loop with the server under test. A fixed number of
// keep-alive connections, each sending POST /v1/events back to back (closed
// loop): a warm-up, then a measured window of fixed length. Only responses
// that arrive inside the window count, for throughput and for latency.
const http = require('node:http');

/**
 * @param {{ url: string, apiKey: string, body: Buffer, eventsPerRequest: number,
 *           connections: number, warmupMs: number, durationMs: number }} o
 */
async function runLoad(o) {
  const target = new URL('/v1/events', o.url);
  if (target.hostname !== '127.0.0.1' && target.hostname !== 'localhost') {
    throw new Error(`the load generator only targets loopback, not ${target.hostname}`);
  }
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: o.connections,
    maxFreeSockets: o.connections,
  });
  const headers = {
    'content-type': 'application/json',
    'content-length': String(o.body.length),
    authorization: `Bearer ${o.apiKey}`,
  };
  const latenciesMs = [];
  const statuses = {};
  let acceptedEvents = 0; // every 202, warm-up and drain included: what Kafka should hold
  let transportErrors = 0;
  const start = performance.now();
  const windowStart = start + o.warmupMs;
  const windowEnd = windowStart + o.durationMs;

  const send = () =>
    new Promise((resolve) => {
      const t0 = performance.now();
      const req = http.request(
        {
          agent,
          hostname: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers,
        },
        (res) => {
          res.resume();
          res.once('end', () => resolve({ status: res.statusCode, t0, t1: performance.now() }));
          res.once('error', () => resolve({ status: 'error', t0, t1: performance.now() }));
        },
      );
      req.once('error', () => resolve({ status: 'error', t0, t1: performance.now() }));
      req.end(o.body);
    });

  const connection = async () => {
    while (performance.now() < windowEnd) {
      const r = await send();
      if (r.status === 202) acceptedEvents += o.eventsPerRequest;
      if (r.status === 'error') {
        transportErrors++;
        // A refused or reset connection must not turn into a busy loop.
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      if (r.t1 >= windowStart && r.t1 < windowEnd) {
        statuses[r.status] = (statuses[r.status] || 0) + 1;
        if (r.status === 202) latenciesMs.push(r.t1 - r.t0);
      }
    }
  };
  await Promise.all(Array.from({ length: o.connections }, connection));
  agent.destroy();

  return summarize(latenciesMs, o, { statuses, transportErrors, acceptedEvents });
}

/** Throughput and latency of the measured window, from each request's latency in it. */
function summarize(latenciesMs, o, extra) {
  latenciesMs.sort((a, b) => a - b);
  const seconds = o.durationMs / 1000;
  const ok = latenciesMs.length;
  return {
    requestsPerSecond: ok / seconds,
    eventsPerSecond: (ok * o.eventsPerRequest) / seconds,
    p50Ms: percentile(latenciesMs, 50),
    p90Ms: percentile(latenciesMs, 90),
    p99Ms: percentile(latenciesMs, 99),
    maxMs: ok ? latenciesMs[ok - 1] : NaN,
    okRequests: ok,
    ...extra,
  };
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

if (require.main === module) {
  process.once('message', (msg) => {
    runLoad({ ...msg, body: Buffer.from(msg.body, 'base64') }).then(
      (result) => process.send({ result }, () => process.exit(0)),
      (err) =>
        process.send({ error: String(err && err.stack ? err.stack : err) }, () => process.exit(1)),
    );
  });
}

module.exports = { runLoad, percentile, summarize };
