'use strict';
// Sequential latency of several operations measured as pairs (or triples): in
// its own process (forked by run.js) so that it shares no event loop with the
// servers, it calls the operations in turn, one at a time, `n` times each after
// a warm-up, so that every one of them meets the same machine at the same
// moments; the differences between them are then the operations' own.
// Answers with every sample (ms) per side, so run.js can merge rounds.
//   { kind: 'http', targets: [{ side, url, headers, body, expectStatus }], n, warmup }
//       POSTs, one keep-alive socket per target, with a minimal HTTP/1.1 client: the
//       request bytes are built once, a response is complete when its content-length
//       bytes are in; node:http's client would add its own allocations and tail.
//   { kind: 'inprocess', brokers, topicPrefix, redisUrl, keyPrefix, tenant, subject,
//     expectBudgets, keys, fields, n, warmup }
//       side 'gate': the check the ingress answers with (BudgetGate: budgets from the
//       control topic, one Redis call), called in this process as a gateway will;
//       side 'read': the same read script on the same keys, alone
const net = require('node:net');

/** `ops`: side → async () => ok. Calls them in turn; per side, every latency and the failures. */
async function timedInTurn(n, warmup, ops) {
  const sides = Object.keys(ops);
  const out = Object.fromEntries(sides.map((side) => [side, { n, bad: 0, samplesMs: [] }]));
  for (let i = 0; i < warmup; i++) for (const side of sides) await ops[side]();
  for (let i = 0; i < n; i++) {
    for (const side of sides) {
      const t0 = performance.now();
      const ok = await ops[side]();
      out[side].samplesMs.push(performance.now() - t0);
      if (!ok) out[side].bad++;
    }
  }
  return out;
}

/** One keep-alive connection; `send()` resolves with the status of the next response. */
function rawHttpClient(url, headers, body) {
  const target = new URL(url);
  if (target.hostname !== '127.0.0.1') throw new Error('loopback only');
  const payload = Buffer.from(body);
  const head = Object.entries({ ...headers, 'content-length': String(payload.length) })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  const request = Buffer.concat([
    Buffer.from(`POST ${target.pathname} HTTP/1.1\r\nhost: ${target.host}\r\n${head}\r\n`),
    payload,
  ]);
  const socket = net.connect(Number(target.port), target.hostname);
  socket.setNoDelay(true);
  let pending = null;
  let buf = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    const end = buf.indexOf('\r\n\r\n');
    if (end < 0) return;
    const headText = buf.subarray(0, end).toString('latin1');
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(headText);
    if (!length) {
      pending?.reject(new Error(`response without content-length: ${headText}`));
      return;
    }
    const total = end + 4 + Number(length[1]);
    if (buf.length < total) return;
    buf = buf.subarray(total);
    const p = pending;
    pending = null;
    p?.resolve(Number(headText.slice(9, 12)));
  });
  socket.on('error', (err) => pending?.reject(err));
  const ready = new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return {
    ready,
    send: () =>
      new Promise((resolve, reject) => {
        pending = { resolve, reject };
        socket.write(request);
      }),
    close: () => socket.destroy(),
  };
}

async function httpCase(o) {
  const clients = o.targets.map((t) => ({ ...t, client: rawHttpClient(t.url, t.headers, t.body) }));
  try {
    await Promise.all(clients.map((c) => c.client.ready));
    const ops = Object.fromEntries(
      clients.map((c) => [c.side, async () => (await c.client.send()) === c.expectStatus]),
    );
    return await timedInTurn(o.n, o.warmup, ops);
  } finally {
    for (const c of clients) c.client.close();
  }
}

async function connectRedis(url) {
  const { Redis } = require('ioredis');
  // The same client options as the ingress's Redis provider.
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  await new Promise((resolve, reject) => {
    redis.once('ready', resolve);
    redis.once('error', reject);
  });
  return redis;
}

async function inProcessCase(o) {
  const { createKafka } = require('@llmops/kafka');
  const { topicNames } = require('@llmops/contracts');
  const { createLogger } = require('@llmops/observability');
  const {
    BudgetGate,
    BudgetStore,
    READ_SCRIPT,
    UsageKeys,
    UsageReader,
  } = require('@llmops/pricing');
  const silent = createLogger('bench', { level: 'silent' });
  const kafka = createKafka({
    brokers: o.brokers.split(','),
    clientId: 'bench-check',
    logger: silent,
  });
  const store = new BudgetStore(kafka, silent, topicNames(o.topicPrefix).controlBudgets);
  await store.start();
  const redis = await connectRedis(o.redisUrl);
  const gate = new BudgetGate(store, new UsageReader(redis, new UsageKeys(o.keyPrefix)));
  try {
    await READ_SCRIPT.load(redis);
    return await timedInTurn(o.n, o.warmup, {
      gate: async () => {
        const decision = await gate.check(o.tenant, o.subject);
        return decision.allowed && decision.states.length === o.expectBudgets;
      },
      read: async () => {
        const r = await READ_SCRIPT.run(redis, o.keys, o.fields);
        return Array.isArray(r) && r.length === o.keys.length;
      },
    });
  } finally {
    redis.disconnect();
    await store.stop();
  }
}

const CASES = { http: httpCase, inprocess: inProcessCase };

process.once('message', (o) => {
  CASES[o.kind](o).then(
    (result) => process.send({ result }, () => process.exit(0)),
    (err) =>
      process.send({ error: String(err && err.stack ? err.stack : err) }, () => process.exit(1)),
  );
});
