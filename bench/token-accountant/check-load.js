'use strict';
// Sequential latency of one operation, in its own process (forked by run.js) so
// that it shares no event loop with the server: a warm-up, then `n` timed calls
// one after the other over one keep-alive connection.
//   { kind: 'http', url, headers, body, n, warmup }   POST, expects `expectStatus`
//   { kind: 'redis', redisUrl, keys, fields, n, warmup }  the read script, as the ingress runs it
const http = require('node:http');
const { percentile } = require('../ingest/load');

async function timed(n, warmup, op) {
  for (let i = 0; i < warmup; i++) await op();
  const ms = new Array(n);
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    if (!(await op())) bad++;
    ms[i] = performance.now() - t0;
  }
  ms.sort((a, b) => a - b);
  return {
    n,
    bad,
    p50Ms: percentile(ms, 50),
    p90Ms: percentile(ms, 90),
    p99Ms: percentile(ms, 99),
    maxMs: ms[n - 1],
    meanMs: ms.reduce((s, x) => s + x, 0) / n,
  };
}

async function httpCase(o) {
  const target = new URL(o.url);
  if (target.hostname !== '127.0.0.1') throw new Error('loopback only');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const body = Buffer.from(o.body);
  const headers = { ...o.headers, 'content-length': String(body.length) };
  const post = () =>
    new Promise((resolve) => {
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
          res.once('end', () => resolve(res.statusCode === o.expectStatus));
        },
      );
      req.once('error', () => resolve(false));
      req.end(body);
    });
  try {
    return await timed(o.n, o.warmup, post);
  } finally {
    agent.destroy();
  }
}

async function redisCase(o) {
  const { Redis } = require('ioredis');
  const { READ_SCRIPT } = require('@llmops/pricing');
  const redis = new Redis(o.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  await new Promise((resolve, reject) => {
    redis.once('ready', resolve);
    redis.once('error', reject);
  });
  try {
    await READ_SCRIPT.load(redis);
    return await timed(o.n, o.warmup, async () => {
      const r = await READ_SCRIPT.run(redis, o.keys, o.fields);
      return Array.isArray(r) && r.length === o.keys.length;
    });
  } finally {
    redis.disconnect();
  }
}

process.once('message', (o) => {
  (o.kind === 'http' ? httpCase(o) : redisCase(o)).then(
    (result) => process.send({ result }, () => process.exit(0)),
    (err) =>
      process.send({ error: String(err && err.stack ? err.stack : err) }, () => process.exit(1)),
  );
});
