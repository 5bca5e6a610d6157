'use strict';
// Gateway benchmark: the latency the gateway adds to a model call over calling the same local
// upstream directly, and its highest rate beside a bare reverse proxy, all in the same run on
// the same machine.
//
//   node bench/gateway/run.js [--duration 10] [--warmup 2] [--rates 200,1000,0]
//                             [--connections 32] [--modes plain,stream] [--json FILE]
//
// Three servers, each its own process: the upstream (LocalOpenAIUpstream, an OpenAI-compatible
// model server), a bare proxy (undici, forwards and pipes, nothing else) and the gateway (the
// real ingress: key check, route, budget check in Redis, the record published to Kafka). For
// each mode (a Chat Completions call, streamed or not) and rate (0 = closed loop with
// `connections` senders: the highest rate), the load generator calls direct, proxy and gateway
// in turn. "added" is the gateway's percentile minus direct's at the same rate; "first" is the
// time to the first body chunk (for streams: the first event, time to first token).
//
// Needs the built services (`npx nx run-many -t build`), Kafka and Redis: KAFKA_BROKERS and
// REDIS_URL, else 127.0.0.1:9092 and redis://127.0.0.1:6379.
const { randomUUID } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { checkBuilt, forkAndAwait, stop } = require('../lib/processes');

function fail(message) {
  process.stderr.write(`bench gateway: ${message}\n`);
  process.exit(1);
}

function options() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      rates: { type: 'string', default: '200,1000,0' },
      connections: { type: 'string', default: '32' },
      modes: { type: 'string', default: 'plain,stream' },
      json: { type: 'string' },
    },
  });
  const list = (v) =>
    v
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  const rates = list(values.rates).map(Number);
  if (rates.some((r) => !Number.isFinite(r) || r < 0 || r > 100_000))
    fail(`--rates must be numbers from 0 (closed loop) to 100000 (got ${values.rates})`);
  const modes = list(values.modes);
  for (const m of modes)
    if (m !== 'plain' && m !== 'stream') fail(`unknown mode '${m}' (plain, stream)`);
  return {
    durationMs: Number(values.duration) * 1000,
    warmupMs: Number(values.warmup) * 1000,
    connections: Number(values.connections),
    rates,
    modes,
    json: values.json,
    brokers: process.env.KAFKA_BROKERS || '127.0.0.1:9092',
    redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
  };
}

const log = (line) => process.stderr.write(`[bench gateway] ${line}\n`);

async function main() {
  const opts = options();
  checkBuilt(['services/ingress', 'libs/testing', 'libs/kafka', 'libs/control-plane'], fail, log);
  const { createKafka, ensureTopics, platformTopics } = require('@llmops/kafka');
  const { ApiKeyStore } = require('@llmops/control-plane');
  const { topicNames } = require('@llmops/contracts');
  const { createLogger } = require('@llmops/observability');
  const silent = createLogger('bench', { level: 'silent' });
  const kafka = createKafka({
    brokers: opts.brokers.split(','),
    clientId: 'bench-gateway',
    logger: silent,
  });
  const topicPrefix = `bench.gateway.${randomUUID().slice(0, 8)}.`;
  const topics = topicNames(topicPrefix);
  const specs = platformTopics(topics, {
    partitions: 3,
    replicationFactor: 1,
    rawRetentionMs: 3_600_000,
  });
  const admin = kafka.admin();
  await admin.connect();
  const servers = {};
  const results = [];
  try {
    await ensureTopics(admin, specs);
    const keys = new ApiKeyStore(kafka, silent, topics.controlApiKeys);
    const { key } = await keys.create({
      tenant: 'bench',
      scopes: ['gateway'],
      name: 'bench/gateway',
    });
    await keys.stop();
    const start = async (mode, extra = {}) => {
      const s = forkAndAwait(
        path.join(__dirname, 'servers.js'),
        [mode, JSON.stringify(extra)],
        60_000,
      );
      servers[mode] = { child: s.child, url: (await s.message).url };
    };
    await start('upstream');
    await start('proxy', { upstream: servers.upstream.url });
    await start('gateway', {
      // BENCH_CPU_PROF_DIR: the gateway writes a V8 CPU profile of its whole run.
      profileDir: process.env.BENCH_CPU_PROF_DIR,
      upstream: servers.upstream.url,
      brokers: opts.brokers,
      redisUrl: opts.redisUrl,
      topicPrefix,
    });
    const targets = {
      direct: { url: `${servers.upstream.url}/v1/chat/completions`, auth: 'Bearer bench' },
      proxy: { url: `${servers.proxy.url}/v1/chat/completions`, auth: 'Bearer bench' },
      gateway: { url: `${servers.gateway.url}/v1/chat/completions`, auth: `Bearer ${key}` },
    };
    for (const mode of opts.modes) {
      const body = JSON.stringify({
        model: 'gpt-4o-mini',
        stream: mode === 'stream',
        messages: [
          {
            role: 'system',
            content: 'You are the support assistant of an online shop. Answer briefly.',
          },
          {
            role: 'user',
            content: 'Where is my order 12345? It was due on Monday and has not arrived yet.',
          },
        ],
      });
      for (const rate of opts.rates) {
        for (const [name, t] of Object.entries(targets)) {
          log(
            `${mode} ${rate === 0 ? `closed loop, ${opts.connections} connections` : `${rate}/s`}: ${name}`,
          );
          const load = forkAndAwait(
            path.join(__dirname, 'load.js'),
            [],
            opts.warmupMs + opts.durationMs + 60_000,
            {
              url: t.url,
              body,
              headers: { 'content-type': 'application/json', authorization: t.auth },
              rate,
              connections: rate === 0 ? opts.connections : 64,
              warmupMs: opts.warmupMs,
              durationMs: opts.durationMs,
            },
          );
          results.push({ mode, rate, target: name, ...(await load.message) });
        }
      }
    }
  } finally {
    await Promise.all(Object.values(servers).map((s) => stop(s.child)));
    await admin.deleteTopics({ topics: specs.map((s) => s.name) }).catch(() => undefined);
    await admin.disconnect();
  }
  process.stdout.write(`${table(results)}\n`);
  if (opts.json)
    fs.writeFileSync(
      opts.json,
      `${JSON.stringify({ date: new Date().toISOString(), results }, null, 2)}\n`,
    );
}

function table(results) {
  const f = (v) => (v === null || v === undefined ? '–' : v.toFixed(3));
  const lines = [
    '| mode | rate | target | requests/s | p50 ms | p99 ms | p99.9 ms | first p50 ms | first p99 ms | added p50 | added p99 | added p99.9 | added first p50 | non-200 |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of results) {
    const d = results.find((x) => x.mode === r.mode && x.rate === r.rate && x.target === 'direct');
    const added = (k) =>
      r.target === 'direct' || !d || r[k] === null || d[k] === null ? '–' : f(r[k] - d[k]);
    const non200 =
      Object.entries(r.statuses)
        .filter(([s]) => s !== '200')
        .reduce((a, [, n]) => a + n, 0) + r.errors;
    lines.push(
      `| ${r.mode} | ${r.rate === 0 ? 'max' : `${r.rate}/s`} | ${r.target} | ${r.requestsPerS.toLocaleString('en')} | ${f(r.p50)} | ${f(r.p99)} | ${f(r.p999)} | ${f(r.firstP50)} | ${f(r.firstP99)} | ${added('p50')} | ${added('p99')} | ${added('p999')} | ${added('firstP50')} | ${non200} |`,
    );
  }
  for (const mode of new Set(results.map((r) => r.mode))) {
    const max = (t) => results.find((r) => r.mode === mode && r.rate === 0 && r.target === t);
    if (max('gateway') && max('proxy'))
      lines.push(
        `\n${mode}: highest rate gateway ÷ bare proxy = ${(max('gateway').requestsPerS / max('proxy').requestsPerS).toFixed(3)}`,
      );
  }
  return lines.join('\n');
}

main().catch((err) => fail(err?.stack ?? String(err)));
