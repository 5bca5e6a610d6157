'use strict';
// A server of the gateway benchmark, in its own process (forked by run.js):
//   upstream — LocalOpenAIUpstream (libs/testing): a local OpenAI-compatible model server
//   proxy    — a bare reverse proxy on undici (the gateway's own HTTP client): forwards the
//              request and pipes the answer back; no auth, no parsing, no record
//   gateway  — the real ingress (services/ingress/dist) with a route to the upstream
// Tells the parent its URL over IPC, then serves until SIGTERM.
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const { profileUntilSigterm } = require('../lib/profile');

const ROOT = path.resolve(__dirname, '../..');
const [mode, optionsJson] = process.argv.slice(2);
const options = JSON.parse(optionsJson || '{}');

function onSigterm(close) {
  process.once('SIGTERM', () => {
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

async function startUpstream() {
  const { LocalOpenAIUpstream } = require(path.join(ROOT, 'libs/testing/dist'));
  const upstream = await LocalOpenAIUpstream.start();
  // A long benchmark would keep every request in memory: keep none.
  setInterval(() => upstream.requests.splice(0), 1_000).unref();
  onSigterm(() => upstream.close());
  return upstream.baseUrl.replace(/\/v1$/, '');
}

async function startProxy() {
  const undici = require(
    require.resolve('undici', { paths: [path.join(ROOT, 'services/ingress')] }),
  );
  const target = new URL(options.upstream);
  const pool = new undici.Pool(target.origin, { keepAliveTimeout: 30_000 });
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      pool
        .request({
          method: req.method,
          path: req.url,
          headers: { 'content-type': 'application/json', authorization: 'Bearer bench' },
          body: Buffer.concat(chunks),
        })
        .then(
          async (up) => {
            res.writeHead(up.statusCode, { 'content-type': up.headers['content-type'] });
            for await (const piece of up.body) res.write(piece);
            res.end();
          },
          () => {
            res.writeHead(502);
            res.end();
          },
        );
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  onSigterm(async () => {
    server.close();
    await pool.close();
  });
  return `http://127.0.0.1:${server.address().port}`;
}

async function startGateway() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-gateway-'));
  const file = path.join(dir, 'gateway.yaml');
  fs.writeFileSync(
    file,
    [
      'upstreams:',
      `  - { name: local, base_url: "${options.upstream}/v1", format: openai, endpoint_kind: internal, credential: { env: BENCH_UPSTREAM_KEY } }`,
      'routes:',
      '  - { model: gpt-4o-mini, targets: [{ upstream: local }] }',
    ].join('\n'),
  );
  const { loadIngressConfig, startIngress } = require(path.join(ROOT, 'services/ingress/dist'));
  const config = loadIngressConfig({
    KAFKA_BROKERS: options.brokers,
    REDIS_URL: options.redisUrl,
    TOPIC_PREFIX: options.topicPrefix,
    INGRESS_HOST: '127.0.0.1',
    INGRESS_PORT: '0',
    LOG_LEVEL: 'warn',
    GATEWAY_CONFIG_FILE: file,
    BENCH_UPSTREAM_KEY: 'bench',
  });
  // startIngress enables Nest's shutdown hooks: SIGTERM closes the app (records flushed) and exits.
  const app = await startIngress(config);
  return `http://127.0.0.1:${app.getHttpServer().address().port}`;
}

if (options.profileDir) profileUntilSigterm(options.profileDir, mode);

const starters = { upstream: startUpstream, proxy: startProxy, gateway: startGateway };
(starters[mode] ?? (() => Promise.reject(new Error(`unknown mode '${mode}'`))))().then(
  (url) => process.send({ ready: true, url }),
  (err) => {
    process.stderr.write(`bench gateway server (${mode}) failed to start: ${err?.stack ?? err}\n`);
    process.exit(1);
  },
);
