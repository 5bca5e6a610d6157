'use strict';
// A pre-flight check server under test, in its own process (forked by run.js):
//   ingress — the real ingress (services/ingress/dist): API key check, the tenant's
//             budgets from its in-memory copy, one Redis script call, the JSON view
//   bare    — Fastify alone: parses the body and runs the same Redis read (the same
//             read script on the same keys) for a fixed set of budgets; no auth
//   empty   — Fastify alone answering a constant: the floor of one HTTP round trip
// Tells the parent its URL over IPC, then serves until SIGTERM. Diagnostics on request:
// see bench/lib/diagnostics.js (BENCH_CPU_PROFILE, BENCH_HEAP_PROFILE, BENCH_GC_STATS).
const path = require('node:path');
const { installDiagnostics } = require('../lib/diagnostics');

const ROOT = path.resolve(__dirname, '../..');
const [mode, optionsJson] = process.argv.slice(2);
const o = JSON.parse(optionsJson || '{}');

// The ingress's own Fastify, so that both baselines run the version under test.
const fastify = () =>
  require(require.resolve('fastify', { paths: [path.join(ROOT, 'services/ingress')] }));

async function startEmpty() {
  const app = fastify()({ logger: false });
  app.post('/v1/budgets/check', async () => ({ allowed: true }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  process.once('SIGTERM', () => app.close().then(() => process.exit(0)));
  return app.server.address().port;
}

async function startBare() {
  const { Redis } = require('ioredis');
  const { READ_SCRIPT } = require('@llmops/pricing');
  // The same client options as the ingress's Redis provider.
  const redis = new Redis(o.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  await new Promise((resolve, reject) => {
    redis.once('ready', resolve);
    redis.once('error', reject);
  });
  await READ_SCRIPT.load(redis);
  const app = fastify()({ logger: false });
  app.post('/v1/budgets/check', async (request) => {
    const body = request.body;
    if (!body || typeof body.app_id !== 'string') throw new Error('app_id is required');
    const used = await READ_SCRIPT.run(redis, o.keys, o.fields);
    return { allowed: used.every((u, i) => BigInt(u) < BigInt(o.limits[i])), used };
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  process.once('SIGTERM', () => {
    app.close().then(
      () => {
        redis.disconnect();
        process.exit(0);
      },
      () => process.exit(1),
    );
  });
  return app.server.address().port;
}

async function startIngressUnderTest() {
  const { loadIngressConfig, startIngress } = require(path.join(ROOT, 'services/ingress/dist'));
  const config = loadIngressConfig({
    KAFKA_BROKERS: o.brokers,
    TOPIC_PREFIX: o.topicPrefix,
    REDIS_URL: o.redisUrl,
    REDIS_KEY_PREFIX: o.keyPrefix,
    INGRESS_HOST: '127.0.0.1',
    INGRESS_PORT: '0',
    LOG_LEVEL: 'warn',
  });
  const app = await startIngress(config);
  return app.getHttpServer().address().port;
}

const MODES = { ingress: startIngressUnderTest, bare: startBare, empty: startEmpty };

installDiagnostics(mode);
(MODES[mode] ? MODES[mode]() : Promise.reject(new Error(`unknown mode '${mode}'`))).then(
  (port) => process.send({ ready: true, url: `http://127.0.0.1:${port}` }),
  (err) => {
    process.stderr.write(`bench server (${mode}) failed to start: ${err && err.stack}\n`);
    process.exit(1);
  },
);
