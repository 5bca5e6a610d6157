'use strict';
// A server under test, in its own process (forked by run.js):
//   bare    — Fastify alone: parses the JSON body and answers 202; no auth, no validation, no Kafka
//   ingress — the real ingress (services/ingress/dist) on the benchmark's own topics
// Tells the parent its URL over IPC, then serves until SIGTERM.
const path = require('node:path');

const { profileUntilSigterm } = require('../lib/profile');

const ROOT = path.resolve(__dirname, '../..');
const [mode, optionsJson] = process.argv.slice(2);
const options = JSON.parse(optionsJson || '{}');

async function startBare() {
  // The Fastify the ingress itself runs on (installed under services/ingress).
  const fastify = require(
    require.resolve('fastify', { paths: [path.join(ROOT, 'services/ingress')] }),
  );
  const app = fastify({ logger: false, bodyLimit: 5 * 1_048_576 });
  app.post('/v1/events', async (request, reply) => {
    const body = request.body;
    reply.code(202);
    return { accepted: Array.isArray(body) ? body.length : 1 };
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  process.once('SIGTERM', () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  return app.server.address().port;
}

async function startIngressUnderTest() {
  const { loadIngressConfig, startIngress } = require(path.join(ROOT, 'services/ingress/dist'));
  const config = loadIngressConfig({
    KAFKA_BROKERS: options.brokers,
    TOPIC_PREFIX: options.topicPrefix,
    INGRESS_HOST: '127.0.0.1',
    INGRESS_PORT: '0',
    LOG_LEVEL: options.logLevel || 'warn',
  });
  // startIngress enables Nest's shutdown hooks: SIGTERM closes the app (producer flushed) and exits.
  const app = await startIngress(config);
  return app.getHttpServer().address().port;
}

if (options.profileDir) profileUntilSigterm(options.profileDir, mode);

(mode === 'bare'
  ? startBare()
  : mode === 'ingress'
    ? startIngressUnderTest()
    : Promise.reject(new Error(`unknown mode '${mode}'`))
).then(
  (port) => process.send({ ready: true, url: `http://127.0.0.1:${port}` }),
  (err) => {
    process.stderr.write(
      `bench server (${mode}) failed to start: ${err && err.stack ? err.stack : String(err)}\n`,
    );
    process.exit(1);
  },
);
