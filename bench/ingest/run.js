'use strict';
// Ingest benchmark: sustained throughput and latency of POST /v1/events on a
// real ingress (Kafka acks=all before 202) beside two baselines measured in
// the same run on the same machine: kafkajs producing the same Avro records
// straight to the same topic (raw-produce: the figure is ingress ÷ raw-produce)
// and a bare Fastify server that only parses the JSON (bare).
//
//   node bench/ingest/run.js [--duration 10] [--warmup 3] [--connections 32] [--rounds 3]
//                            [--cases batch100,single] [--keep-topics] [--json FILE]
//
// Each round measures raw produce, bare and ingress in turn; the table gives
// each one's median over the rounds and the median of the per-round ratios.
//
// Needs the built services (`npx nx run-many -t build`) and a Kafka broker:
// KAFKA_BROKERS, else 127.0.0.1:9092. The ingress writes to topics under a
// fresh prefix (bench.ingest.<id>.), deleted at the end unless --keep-topics.
const { randomUUID } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');

const { checkBuilt, forkAndAwait, stop } = require('../lib/processes');
const REQUIRED_DIST = [
  'services/ingress',
  'libs/kafka',
  'libs/control-plane',
  'libs/contracts',
  'libs/observability',
  'libs/config',
];

function fail(message) {
  process.stderr.write(`bench ingest: ${message}\n`);
  process.exit(1);
}

function options() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      connections: { type: 'string', default: '32' },
      cases: { type: 'string', default: 'batch100,single' },
      rounds: { type: 'string', default: '3' },
      'keep-topics': { type: 'boolean', default: false },
      json: { type: 'string' },
    },
  });
  const num = (name, min, max) => {
    const n = Number(values[name]);
    if (!Number.isFinite(n) || n < min || n > max)
      fail(`--${name} must be a number from ${min} to ${max} (got ${values[name]})`);
    return n;
  };
  return {
    durationMs: num('duration', 1, 600) * 1000,
    warmupMs: num('warmup', 0, 120) * 1000,
    connections: Math.round(num('connections', 1, 1024)),
    rounds: Math.round(num('rounds', 1, 20)),
    cases: values.cases
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean),
    keepTopics: values['keep-topics'],
    json: values.json,
    brokers: process.env.KAFKA_BROKERS || '127.0.0.1:9092',
  };
}

async function probe(url, apiKey, body) {
  const res = await fetch(`${url}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body,
  });
  const text = await res.text();
  if (res.status !== 202)
    throw new Error(
      `probe POST /v1/events answered ${res.status}, expected 202: ${text.slice(0, 500)}`,
    );
}

async function main() {
  const opts = options();
  checkBuilt(REQUIRED_DIST, fail, (line) => process.stderr.write(`bench ingest: ${line}\n`));
  const { createKafka, ensureTopics, platformTopics } = require('@llmops/kafka');
  const { ApiKeyStore } = require('@llmops/control-plane');
  const { topicNames } = require('@llmops/contracts');
  const { createLogger } = require('@llmops/observability');
  const { payloads } = require('./payload');

  const all = payloads();
  for (const c of opts.cases)
    if (!all[c]) fail(`unknown case '${c}' (known: ${Object.keys(all).join(', ')})`);

  const log = (line) => process.stderr.write(`[bench ingest] ${line}\n`);
  const silent = createLogger('bench', { level: 'silent' });
  const kafka = createKafka({
    brokers: opts.brokers.split(','),
    clientId: 'bench-ingest',
    logger: silent,
    connectionTimeoutMs: 3_000,
  });
  const topicPrefix = `bench.ingest.${randomUUID().slice(0, 8)}.`;
  const topics = topicNames(topicPrefix);
  const specs = platformTopics(topics, {
    partitions: 3,
    replicationFactor: 1,
    rawRetentionMs: 3_600_000,
  });
  const admin = kafka.admin();
  await admin.connect();
  const results = [];
  let ingressAccepted = 0;
  let rawProduced = 0;
  try {
    await ensureTopics(admin, specs);
    log(`Kafka ${opts.brokers}, topics under ${topicPrefix}`);
    // Written before the ingress starts: it reads the control topic to its end at start-up.
    const keys = new ApiKeyStore(kafka, silent, topics.controlApiKeys);
    const { key: apiKey } = await keys.create({
      tenant: 'bench',
      scopes: ['ingest'],
      name: 'bench/ingest',
    });
    await keys.stop();

    // Both servers run for the whole benchmark; each round measures raw produce, bare and
    // ingress in turn, so that a slow moment of the shared machine hits all three alike.
    const servers = {};
    for (const server of ['bare', 'ingress']) {
      const srv = forkAndAwait(
        path.join(__dirname, 'server.js'),
        [
          server,
          JSON.stringify({
            brokers: opts.brokers,
            topicPrefix,
            // BENCH_CPU_PROF_DIR: each server under test writes a V8 CPU profile of its whole run.
            profileDir: process.env.BENCH_CPU_PROF_DIR,
          }),
        ],
        60_000,
      );
      servers[server] = { child: srv.child, url: (await srv.message).url };
    }
    try {
      await probe(servers.bare.url, apiKey, all.single.body);
      await probe(servers.ingress.url, apiKey, all.single.body);
      ingressAccepted += 1;
      for (let round = 1; round <= opts.rounds; round++) {
        for (const name of opts.cases) {
          const { body, events } = all[name];
          const common = {
            eventsPerRequest: events,
            connections: opts.connections,
            warmupMs: opts.warmupMs,
            durationMs: opts.durationMs,
          };
          for (const server of ['raw-produce', 'bare', 'ingress']) {
            log(
              `round ${round}/${opts.rounds} ${server} / ${name}: ${opts.connections} ${server === 'raw-produce' ? 'senders' : 'connections'}, ${opts.warmupMs / 1000} s warm-up, ${opts.durationMs / 1000} s measured`,
            );
            const load =
              server === 'raw-produce'
                ? forkAndAwait(
                    path.join(__dirname, 'produce.js'),
                    [],
                    opts.warmupMs + opts.durationMs + 60_000,
                    { ...common, brokers: opts.brokers, topic: topics.invocations },
                  )
                : forkAndAwait(
                    path.join(__dirname, 'load.js'),
                    [],
                    opts.warmupMs + opts.durationMs + 60_000,
                    { ...common, url: servers[server].url, apiKey, body: body.toString('base64') },
                  );
            const answer = await load.message;
            if (answer.error) throw new Error(`${server} load failed: ${answer.error}`);
            const r = answer.result;
            if (server === 'ingress') ingressAccepted += r.acceptedEvents;
            if (server === 'raw-produce') rawProduced += r.acceptedEvents;
            results.push({ round, server, case: name, bodyBytes: body.length, ...r });
          }
        }
      }
    } finally {
      await Promise.all(Object.values(servers).map((s) => stop(s.child)));
    }

    // Every 202 must correspond to records in Kafka (202 only after acks=all).
    const offsets = await admin.fetchTopicOffsets(topics.invocations);
    const inKafka = offsets.reduce((sum, p) => sum + Number(p.high), 0);
    log(
      `ingress answered 202 for ${ingressAccepted} events, raw produce wrote ${rawProduced}; ${topics.invocations} holds ${inKafka} records`,
    );
    const report = {
      date: new Date().toISOString(),
      options: { ...opts, json: undefined },
      ingressAccepted,
      rawProduced,
      inKafka,
      results,
    };
    process.stdout.write(`${table(results)}\n`);
    process.stdout.write(
      `\nKafka check: ${ingressAccepted} events answered 202 by the ingress + ${rawProduced} written by raw produce = ${ingressAccepted + rawProduced}; ${inKafka} records on ${topics.invocations}\n`,
    );
    if (opts.json) fs.writeFileSync(opts.json, `${JSON.stringify(report, null, 2)}\n`);
  } finally {
    if (!opts.keepTopics) {
      await admin
        .deleteTopics({ topics: specs.map((s) => s.name) })
        .catch((err) => log(`could not delete the bench topics: ${err.message}`));
    }
    await admin.disconnect();
  }
}

function median(xs) {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function table(results) {
  const fmt = (n, digits = 0) =>
    Number.isFinite(n)
      ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
      : 'n/a';
  const rows = [
    '| case | server | events/s (median) | p50 ms | p99 ms | non-202 | ratio vs raw produce (median of rounds) | per round | ratio vs bare |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
  ];
  const cases = [...new Set(results.map((r) => r.case))];
  for (const c of cases) {
    for (const server of ['raw-produce', 'bare', 'ingress']) {
      const mine = results.filter((r) => r.case === c && r.server === server);
      if (mine.length === 0) continue;
      const ratioTo = (base) =>
        mine.map((r) => {
          const b = results.find((x) => x.case === c && x.server === base && x.round === r.round);
          return b ? r.eventsPerSecond / b.eventsPerSecond : NaN;
        });
      const raw = ratioTo('raw-produce');
      const bare = ratioTo('bare');
      const non202 = mine.reduce(
        (n, r) =>
          n +
          Object.entries(r.statuses)
            .filter(([s]) => s !== '202')
            .reduce((m, [, k]) => m + k, 0) +
          r.transportErrors,
        0,
      );
      rows.push(
        `| ${c} | ${server} | ${fmt(median(mine.map((r) => r.eventsPerSecond)))} | ${fmt(median(mine.map((r) => r.p50Ms)), 1)} | ${fmt(median(mine.map((r) => r.p99Ms)), 1)} | ${non202} | ${server === 'raw-produce' ? '1 (baseline)' : `**${fmt(median(raw), 3)}**`} | ${raw.map((x) => fmt(x, 2)).join(' / ')} | ${server === 'bare' ? '1 (baseline)' : fmt(median(bare), 3)} |`,
      );
    }
  }
  return rows.join('\n');
}

main().catch((err) => {
  process.stderr.write(`bench ingest failed: ${err && err.stack ? err.stack : String(err)}\n`);
  process.exit(1);
});
