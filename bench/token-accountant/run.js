'use strict';
// Token-accountant benchmark, two parts, each beside its baseline in the same run:
//
// 1. Counting throughput: N pre-encoded invocations on a fresh raw topic, then the
//    built accountant in its own process (accountant.js) counts them; timed from its
//    first counted event to the last, by polling the tenants' request counters.
//    Baseline: redis-benchmark running EVALSHA of the same counting script with
//    calls of the shape the accountant made (events per call, calls per pipeline),
//    fresh event ids per call (__rand_int__) so dedupe never short-circuits.
// 2. Pre-flight check latency: POST /v1/budgets/check on the real ingress, beside a
//    bare Fastify handler doing the same Redis read, beside the Redis read alone;
//    sequential requests over one keep-alive connection, each client in its own process.
//
//   node bench/token-accountant/run.js [--events 100000] [--tenants 4] [--checks 20000]
//                                      [--warmup 500] [--rounds 4] [--part all|count|check] [--json FILE]
//
// Needs the built services (`npx nx run-many -t build`), Kafka (KAFKA_BROKERS, else
// 127.0.0.1:9092), Redis (REDIS_URL, else redis://127.0.0.1:6379) and redis-benchmark.
// Topics under bench.acct.<id>., Redis keys under bench:acct:<id>:, all deleted at the end.
const { execFileSync } = require('node:child_process');
const { randomUUID } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');

const { checkBuilt, forkAndAwait, stop } = require('../lib/processes');
const REQUIRED_DIST = [
  'services/token-accountant',
  'services/ingress',
  'libs/pricing',
  'libs/kafka',
  'libs/control-plane',
  'libs/contracts',
  'libs/observability',
  'libs/config',
];
const log = (line) => process.stderr.write(`[bench token-accountant] ${line}\n`);

function fail(message) {
  process.stderr.write(`bench token-accountant: ${message}\n`);
  process.exit(1);
}

function checkTools() {
  checkBuilt(REQUIRED_DIST, fail, log);
  try {
    execFileSync('redis-benchmark', ['--version'], { stdio: 'ignore' });
  } catch {
    fail('redis-benchmark is not installed (Debian: `apt-get install -y redis-tools`)');
  }
}

function options() {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '100000' },
      tenants: { type: 'string', default: '4' },
      checks: { type: 'string', default: '20000' },
      warmup: { type: 'string', default: '500' },
      rounds: { type: 'string', default: '4' },
      part: { type: 'string', default: 'all' },
      json: { type: 'string' },
    },
  });
  const num = (name, min, max) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min || n > max)
      fail(`--${name} must be a whole number from ${min} to ${max} (got ${values[name]})`);
    return n;
  };
  if (!['all', 'count', 'check'].includes(values.part))
    fail(`--part must be all, count or check (got ${values.part})`);
  return {
    part: values.part,
    events: num('events', 1_000, 5_000_000),
    tenants: num('tenants', 1, 100),
    checks: num('checks', 100, 1_000_000),
    rounds: num('rounds', 1, 100),
    warmup: num('warmup', 0, 100_000),
    json: values.json,
    brokers: process.env.KAFKA_BROKERS || '127.0.0.1:9092',
    redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
  };
}

/** A deterministic PRNG (mulberry32): the same events every run. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const MODELS = [
  ['openai', 'gpt-4o', 'gpt-4o-2024-08-06'],
  ['openai', 'gpt-4o-mini', 'gpt-4o-mini-2024-07-18'],
  ['anthropic', 'claude-sonnet-4', null],
  ['gcp.gemini', 'gemini-2.5-flash', null],
  ['deepseek', 'deepseek-reasoner', null],
  ['acme', 'in-house-llm', null], // unpriced
];

/** Invocations as the ingress writes them: 20 apps, 500 users, 5 agents, 6 models, the last 10 minutes. */
function makeInvocations(count, tenants, seed, idPrefix) {
  const rnd = prng(seed);
  const now = Date.now();
  const today = Math.floor(now / 86_400_000) * 86_400_000;
  const from = Math.max(today, now - 600_000); // one UTC day: one day counter per tenant to poll
  const pick = (n) => Math.floor(rnd() * n);
  return Array.from({ length: count }, (_, i) => {
    const [provider, model, responseModel] = MODELS[pick(MODELS.length)];
    const input = 50 + pick(8_000);
    const output = 10 + pick(2_000);
    return {
      event_id: `${idPrefix}-${i}`,
      tenant_id: `bench-${i % tenants}`,
      trace_id: (i + 1).toString(16).padStart(32, '0'),
      app_id: `app-${pick(20)}`,
      user_id: rnd() < 0.9 ? `user-${pick(500)}` : null,
      agent_id: rnd() < 0.5 ? `agent-${pick(5)}` : null,
      operation: 'chat',
      provider_name: provider,
      request_model: model,
      response_model: responseModel,
      start_time_ms: from + pick(Math.max(1, now - from)),
      received_at_ms: now,
      duration_ms: 500 + pick(3_000),
      status: rnd() < 0.02 ? 'error' : 'ok',
      // The raw topic carries the text too: the accountant decodes it and ignores it.
      input_messages: [
        {
          role: 'system',
          content: 'You are the support assistant of an online shop. Answer briefly and politely.',
        },
        {
          role: 'user',
          content: `Please write to customer ${i} that order ${i * 7} ships on Monday, and call them if it is late.`,
        },
      ],
      output_messages: [
        {
          role: 'assistant',
          content:
            'Done: I drafted the e-mail about the order shipping on Monday and noted the phone number for a follow-up call.',
        },
      ],
      labels: { env: 'bench', team: 'support' },
      usage: {
        input_tokens: input,
        output_tokens: output,
        cached_input_tokens: rnd() < 0.3 ? Math.floor(input / 2) : 0,
        reasoning_tokens: model === 'deepseek-reasoner' ? Math.floor(output / 2) : 0,
      },
    };
  });
}

/** Budgets every bench tenant has: three apply to app-0/user-0, none is ever reached. */
const BUDGETS = [
  {
    budget_id: 'tenant-day-tokens',
    scope: 'tenant',
    period: 'day',
    unit: 'tokens',
    limit: 10 ** 13,
  },
  {
    budget_id: 'app0-month-usd',
    scope: 'app',
    scope_value: 'app-0',
    period: 'month',
    unit: 'usd',
    limit: '1000000',
  },
  {
    budget_id: 'user0-day-tokens',
    scope: 'user',
    scope_value: 'user-0',
    period: 'day',
    unit: 'tokens',
    limit: 10 ** 13,
  },
];

function ask(child, question) {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send(question);
  });
}

async function produceAll(kafka, topic, messages) {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (let i = 0; i < messages.length; i += 2_000)
      await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 2_000) });
  } finally {
    await producer.disconnect();
  }
}

/** Part 1: the accountant's events/s, timed from its first counted event to its last. */
async function accountantThroughput(ctx) {
  const { invocationCodec, invocationKey } = require('@llmops/contracts');
  const { opts, kafka, redis, keys, topics, keyPrefix, topicPrefix } = ctx;
  const invocations = makeInvocations(opts.events, opts.tenants, 42, 'acct');
  const messages = invocations.map((e) => {
    const inv = invocationCodec.fromJson(e);
    return { key: invocationKey(inv.tenant_id, inv.trace_id), value: invocationCodec.encode(inv) };
  });
  const bytes = messages.reduce((n, m) => n + m.value.length, 0);
  log(`producing ${opts.events} invocations (${(bytes / opts.events).toFixed(0)} bytes each)`);
  await produceAll(kafka, topics.invocations, messages);

  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  const counters = Array.from({ length: opts.tenants }, (_, t) =>
    keys.counter(`bench-${t}`, 'tenant', '_', 'day', day),
  );
  const counted = async () => {
    const p = redis.pipeline();
    for (const k of counters) p.hget(k, 'req');
    return (await p.exec()).reduce((n, [, v]) => n + Number(v ?? 0), 0);
  };

  const env = {
    ...process.env,
    KAFKA_BROKERS: opts.brokers,
    REDIS_URL: opts.redisUrl,
    REDIS_KEY_PREFIX: keyPrefix,
    TOPIC_PREFIX: topicPrefix,
    ACCOUNTANT_GROUP_ID: `bench-acct-${randomUUID().slice(0, 8)}`,
    ACCOUNTANT_DEDUPE_TTL_S: '3600',
    LOG_LEVEL: 'warn',
  };
  const t0 = performance.now();
  const acct = forkAndAwait(path.join(__dirname, 'accountant.js'), [], 120_000, undefined, env);
  await acct.message;
  const tReady = performance.now();
  log(`accountant ready in ${((tReady - t0) / 1000).toFixed(1)} s; counting`);
  let first;
  let n = 0;
  const deadline = Date.now() + 600_000;
  while (n < opts.events) {
    if (Date.now() > deadline) throw new Error(`only ${n} of ${opts.events} counted in 10 min`);
    n = await counted();
    if (first === undefined && n > 0) first = { t: performance.now(), n };
    if (n < opts.events) await new Promise((r) => setTimeout(r, 10));
  }
  const tDone = performance.now();
  const stats = (await ask(acct.child, 'stats')).stats;
  await stop(acct.child);
  if (n !== opts.events) throw new Error(`counted ${n}, expected ${opts.events}`);
  return {
    events: opts.events,
    avgBytes: bytes / opts.events,
    startupS: (tReady - t0) / 1000,
    firstToLastS: (tDone - first.t) / 1000,
    countedAtFirstPoll: first.n,
    eventsPerSecond: (opts.events - first.n) / ((tDone - first.t) / 1000),
    readyToLastEventsPerSecond: opts.events / ((tDone - tReady) / 1000),
    ...stats,
    eventsPerCall: stats.events / stats.calls,
    callsPerPipeline: stats.calls / stats.pipelines,
    cpuSecondsPer100k: (stats.cpuSeconds / opts.events) * 100_000,
  };
}

/** Part 1's baseline: redis-benchmark replaying calls of the accountant's shape. */
function redisBenchmark(ctx, budgets, shape) {
  const { PriceBook, buildCountCalls } = require('@llmops/pricing');
  const { opts, keys } = ctx;
  const k = Math.max(1, Math.round(shape.eventsPerCall));
  const p = Math.max(1, Math.round(shape.callsPerPipeline));
  const prices = new PriceBook();
  const countables = makeInvocations(k, 1, 7, 'rb').map((e, i) => {
    const price = prices.price(
      e.provider_name,
      [e.response_model, e.request_model],
      e.start_time_ms,
    );
    return {
      // A fresh id each time the command is sent: every event is counted, as in the accountant run.
      event_id: `rb-__rand_int__-${i}`,
      start_time_ms: e.start_time_ms,
      app_id: e.app_id,
      user_id: e.user_id,
      agent_id: e.agent_id,
      model: e.request_model,
      ...e.usage,
      cost: price ? PriceBook.cost(e.usage, price) : 0n,
      error: e.status === 'error',
      unpriced: !price,
    };
  });
  const [call, ...more] = buildCountCalls(keys, 'bench-0', countables, budgets, 3_600);
  if (more.length > 0) throw new Error('the replayed call does not fit one script call');
  const url = new URL(opts.redisUrl);
  const calls = Math.max(200, Math.ceil(opts.events / k));
  const rows = [];
  for (const clients of [1, 8]) {
    const args = [
      '-h',
      url.hostname,
      '-p',
      url.port || '6379',
      '-n',
      String(calls),
      '-c',
      String(clients),
      '-P',
      String(p),
      '-r',
      '2147483647',
      '--csv',
      'EVALSHA',
      ctx.countSha,
      '1',
      call.tenantBase,
      ...call.args,
    ];
    log(`redis-benchmark -n ${calls} -c ${clients} -P ${p}: EVALSHA with ${k} events per call`);
    const out = execFileSync('redis-benchmark', args, { encoding: 'utf8', maxBuffer: 1 << 24 });
    const last = out.trim().split('\n').pop();
    const rps = Number(JSON.parse(`[${last}]`)[1]);
    if (!Number.isFinite(rps)) throw new Error(`cannot read redis-benchmark's output: ${out}`);
    rows.push({
      clients,
      pipeline: p,
      eventsPerCall: k,
      calls,
      callsPerSecond: rps,
      eventsPerSecond: rps * k,
    });
  }
  return rows;
}

/**
 * Part 2: pre-flight check latency, five sides in two groups measured in turn
 * (call A, call B, call C, call A, …, from one client process) so that a noisy
 * moment of the shared machine falls on every side of a group alike:
 *   over HTTP, each server in its own process:
 *     ingress — POST /v1/budgets/check on the real ingress
 *     bare    — the same request to Fastify alone doing the same Redis read
 *     empty   — the same request to Fastify answering a constant: one HTTP round trip
 *   in one process, as a gateway will call it:
 *     gate    — BudgetGate.check, the check the ingress answers with
 *     read    — the same read script alone
 * `rounds` rounds with a fresh client each; samples are merged before percentiles.
 */
async function checkLatency(ctx, budgets) {
  const { ApiKeyStore } = require('@llmops/control-plane');
  const {
    budgetApplies,
    budgetCounterSuffix,
    budgetField,
    budgetPoints,
    budgetWindow,
  } = require('@llmops/pricing');
  const { percentile } = require('../ingest/load');
  const { opts, kafka, keys, topics, silent, topicPrefix, keyPrefix } = ctx;
  const keyStore = new ApiKeyStore(kafka, silent, topics.controlApiKeys);
  const { key: apiKey } = await keyStore.create({
    tenant: 'bench-0',
    scopes: ['ingest'],
    name: 'bench/token-accountant',
  });
  await keyStore.stop();
  const subject = { app_id: 'app-0', user_id: 'user-0', agent_id: null };
  const applicable = budgets.filter((b) => budgetApplies(b, subject));
  const now = Date.now();
  const read = {
    keys: applicable.map(
      (b) => keys.tenantBase('bench-0') + budgetCounterSuffix(keys, b, budgetWindow(b, now)),
    ),
    fields: applicable.map(budgetField),
    limits: applicable.map((b) => String(budgetPoints(b).find((x) => x.kind === 'hard').value)),
  };
  const body = JSON.stringify({ app_id: 'app-0', user_id: 'user-0', model: 'gpt-4o' });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` };
  const common = { brokers: opts.brokers, topicPrefix, redisUrl: opts.redisUrl, keyPrefix };

  const servers = {};
  try {
    for (const mode of ['ingress', 'bare', 'empty']) {
      const srv = forkAndAwait(
        path.join(__dirname, 'server.js'),
        [mode, JSON.stringify({ ...common, ...read })],
        60_000,
      );
      servers[mode] = srv;
      const { url } = await srv.message;
      srv.url = `${url}/v1/budgets/check`;
      const probe = await fetch(srv.url, { method: 'POST', headers, body });
      const text = await probe.text();
      if (probe.status !== 200) throw new Error(`${mode} check answered ${probe.status}: ${text}`);
      if (mode === 'ingress' && JSON.parse(text).budgets.length !== applicable.length)
        throw new Error(`the ingress checked other budgets than the baseline: ${text}`);
    }
    const perRound = Math.ceil(opts.checks / opts.rounds);
    const target = (side) => ({ side, url: servers[side].url, headers, body, expectStatus: 200 });
    const loads = [
      { kind: 'http', targets: ['ingress', 'bare', 'empty'].map(target) },
      {
        kind: 'inprocess',
        ...common,
        ...read,
        tenant: 'bench-0',
        subject,
        expectBudgets: applicable.length,
      },
    ];
    const samples = {};
    const bad = {};
    for (let round = 1; round <= opts.rounds; round++) {
      log(`round ${round}/${opts.rounds}: ${perRound} sequential checks per side, sides in turn`);
      for (const spec of loads) {
        const client = forkAndAwait(path.join(__dirname, 'check-load.js'), [], 600_000, {
          ...spec,
          n: perRound,
          warmup: opts.warmup,
        });
        const answer = await client.message;
        if (answer.error) throw new Error(`${spec.kind}: ${answer.error}`);
        for (const [side, r] of Object.entries(answer.result)) {
          (samples[side] ??= []).push(...r.samplesMs);
          bad[side] = (bad[side] ?? 0) + r.bad;
        }
      }
    }
    const results = Object.entries(samples).map(([side, ms]) => {
      ms.sort((a, b) => a - b);
      return {
        side,
        n: ms.length,
        bad: bad[side],
        p50Ms: percentile(ms, 50),
        p90Ms: percentile(ms, 90),
        p99Ms: percentile(ms, 99),
        p999Ms: percentile(ms, 99.9),
        maxMs: ms[ms.length - 1],
        meanMs: ms.reduce((sum, x) => sum + x, 0) / ms.length,
      };
    });
    return { budgetsRead: applicable.length, rounds: opts.rounds, results };
  } finally {
    for (const srv of Object.values(servers)) await stop(srv.child);
  }
}

async function main() {
  const opts = options();
  checkTools();
  const { createKafka, ensureTopics, platformTopics } = require('@llmops/kafka');
  const { topicNames } = require('@llmops/contracts');
  const { createLogger } = require('@llmops/observability');
  const { BudgetStore, COUNT_SCRIPT, LuaScript, UsageKeys } = require('@llmops/pricing');
  const { Redis } = require('ioredis');

  const id = randomUUID().slice(0, 8);
  const topicPrefix = `bench.acct.${id}.`;
  const keyPrefix = `bench:acct:${id}:`;
  const silent = createLogger('bench', { level: 'silent' });
  const kafka = createKafka({
    brokers: opts.brokers.split(','),
    clientId: 'bench-token-accountant',
    logger: silent,
    connectionTimeoutMs: 3_000,
  });
  const topics = topicNames(topicPrefix);
  const specs = platformTopics(topics, {
    partitions: 3,
    replicationFactor: 1,
    rawRetentionMs: 3_600_000,
  });
  const admin = kafka.admin();
  const redis = new Redis(opts.redisUrl);
  const ctx = {
    opts,
    kafka,
    redis,
    keys: new UsageKeys(keyPrefix),
    topics,
    topicPrefix,
    keyPrefix,
    silent,
  };
  await admin.connect();
  try {
    await ensureTopics(admin, specs);
    log(
      `Kafka ${opts.brokers}, topics under ${topicPrefix}; Redis ${opts.redisUrl}, keys under ${keyPrefix}`,
    );
    const store = new BudgetStore(kafka, silent, topics.controlBudgets);
    await store.start();
    for (let t = 0; t < opts.tenants; t++)
      for (const b of BUDGETS) await store.create(`bench-${t}`, b);
    const budgets = store.forTenant('bench-0');
    await store.stop();
    ctx.countSha = new LuaScript(COUNT_SCRIPT).sha;
    await redis.script('LOAD', COUNT_SCRIPT);

    const machine = {
      date: new Date().toISOString(),
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memGiB: Math.round(os.totalmem() / 2 ** 30),
      loadavg: os.loadavg().map((x) => x.toFixed(2)),
      node: process.version,
      redis: (await redis.info('server')).match(/redis_version:(\S+)/)?.[1],
    };
    const counting = opts.part !== 'check';
    const accountant = counting ? await accountantThroughput(ctx) : null;
    const baseline = counting ? redisBenchmark(ctx, budgets, accountant) : null;
    const check = opts.part !== 'count' ? await checkLatency(ctx, budgets) : null;
    const report = { machine, options: { ...opts, json: undefined }, accountant, baseline, check };
    process.stdout.write(`${tables(report)}\n`);
    if (opts.json) fs.writeFileSync(opts.json, `${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await admin
      .deleteTopics({ topics: specs.map((s) => s.name) })
      .catch((err) => log(`could not delete the bench topics: ${err.message}`));
    await admin.disconnect();
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 5_000);
      cursor = next;
      if (found.length > 0) await redis.unlink(...found);
    } while (cursor !== '0');
    redis.disconnect();
  }
}

function tables(r) {
  const fmt = (n, d = 0) =>
    Number.isFinite(n)
      ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d })
      : 'n/a';
  return [r.accountant && countingTable(r, fmt), r.check && checkTable(r, fmt)]
    .filter(Boolean)
    .join('\n\n');
}

function countingTable(r, fmt) {
  const a = r.accountant;
  const best = Math.max(...r.baseline.map((b) => b.eventsPerSecond));
  const same = r.baseline.find((b) => b.clients === 1);
  return [
    `accountant: ${fmt(a.events)} events, ${fmt(a.calls)} script calls (${fmt(a.eventsPerCall, 1)} events/call, ${fmt(a.callsPerPipeline, 2)} calls/pipeline), ${fmt(a.cpuSecondsPer100k, 2)} CPU s per 100k events, start-up ${fmt(a.startupS, 1)} s`,
    '',
    '| side | events/s | script calls/s | ratio to redis-benchmark -c 1 | ratio to redis-benchmark -c 8 |',
    '| --- | ---: | ---: | ---: | ---: |',
    `| token-accountant (Kafka → Redis, first to last counted) | ${fmt(a.eventsPerSecond)} | ${fmt(a.calls / a.firstToLastS)} | **${fmt(a.eventsPerSecond / same.eventsPerSecond, 3)}** | **${fmt(a.eventsPerSecond / best, 3)}** |`,
    `| token-accountant (ready to last counted) | ${fmt(a.readyToLastEventsPerSecond)} | | ${fmt(a.readyToLastEventsPerSecond / same.eventsPerSecond, 3)} | ${fmt(a.readyToLastEventsPerSecond / best, 3)} |`,
    ...r.baseline.map(
      (b) =>
        `| redis-benchmark EVALSHA -c ${b.clients} -P ${b.pipeline}, ${b.eventsPerCall} events/call | ${fmt(b.eventsPerSecond)} | ${fmt(b.callsPerSecond)} | | |`,
    ),
  ].join('\n');
}

const CHECK_SIDES = {
  ingress: 'HTTP: ingress `POST /v1/budgets/check` (key, budgets, read, JSON view)',
  bare: 'HTTP: bare Fastify + the same Redis read',
  empty: 'HTTP: bare Fastify answering a constant (floor)',
  gate: 'in-process: `BudgetGate.check` (budgets, read, decision)',
  read: 'in-process: the same Redis read alone',
};

function checkTable(r, fmt) {
  const by = Object.fromEntries(r.check.results.map((c) => [c.side, c]));
  const added = (a, b, p) => fmt(by[a][p] - by[b][p], 3);
  return [
    `pre-flight check (${r.check.budgetsRead} budgets read per check; per side ${fmt(by.ingress.n)} sequential calls in ${r.check.rounds} interleaved rounds, ${fmt(r.options.warmup)} warm-up calls per round):`,
    '',
    '| side | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | mean ms | failed |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...r.check.results.map(
      (c) =>
        `| ${CHECK_SIDES[c.side]} | ${fmt(c.p50Ms, 3)} | ${fmt(c.p90Ms, 3)} | ${fmt(c.p99Ms, 3)} | ${fmt(c.p999Ms, 3)} | ${fmt(c.maxMs, 2)} | ${fmt(c.meanMs, 3)} | ${c.bad} |`,
    ),
    '',
    `added by the check over an HTTP round trip (ingress − floor): p50 ${added('ingress', 'empty', 'p50Ms')} ms, p99 ${added('ingress', 'empty', 'p99Ms')} ms`,
    `added by the ingress over Fastify doing the same read (ingress − bare): p50 ${added('ingress', 'bare', 'p50Ms')} ms, p99 ${added('ingress', 'bare', 'p99Ms')} ms`,
    `added in-process over the Redis read alone (gate − read): p50 ${added('gate', 'read', 'p50Ms')} ms, p99 ${added('gate', 'read', 'p99Ms')} ms`,
  ].join('\n');
}

main().catch((err) => {
  process.stderr.write(
    `bench token-accountant failed: ${err && err.stack ? err.stack : String(err)}\n`,
  );
  process.exit(1);
});
