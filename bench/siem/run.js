'use strict';
// SIEM forwarder benchmark: records per second from llmops.security-events.v1
// to (a) the OCSF topic and (b) a real syslog collector (rsyslogd, TCP,
// octet-counting) on loopback, each beside a baseline measured in the same
// run: formatting alone, raw kafkajs produce of the same pre-formatted OCSF
// records, and raw socket writes of the same pre-framed syslog messages.
//
//   node bench/siem/run.js [--events 30000] [--keep-topics] [--json FILE]
//
// Needs the built projects (`npx nx run-many -t build`), a Kafka broker
// (KAFKA_BROKERS, else 127.0.0.1:9092) and Debian's rsyslogd. Topics live
// under a fresh prefix (bench.siem.<id>.), deleted at the end unless --keep-topics.
const { spawn } = require('node:child_process');
const { randomUUID } = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');

const ROOT = path.resolve(__dirname, '../..');
for (const p of ['services/siem-forwarder', 'libs/siem', 'libs/kafka', 'libs/contracts']) {
  if (!fs.existsSync(path.join(ROOT, p, 'dist', 'index.js'))) {
    process.stderr.write(`bench siem: ${p} is not built; run \`npx nx run-many -t build\` first\n`);
    process.exit(1);
  }
}
const { securityEventCodec, topicNames, dlqTopic } = require('@llmops/contracts');
const { formatOcsf, toSyslog, frameOctetCounting } = require('@llmops/siem');
const { createKafka } = require('@llmops/kafka');
const { createLogger } = require('@llmops/observability');
const { loadForwarderConfig, startSiemForwarder } = require(
  path.join(ROOT, 'services/siem-forwarder/dist/index.js'),
);

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '30000' },
    'keep-topics': { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});
const N = Number(args.events);
const BROKERS = process.env.KAFKA_BROKERS || '127.0.0.1:9092';
const silent = createLogger('bench', { level: process.env.BENCH_LOG || 'silent' });
const kafka = createKafka({ brokers: BROKERS.split(','), clientId: 'bench-siem', logger: silent });
const prefix = `bench.siem.${randomUUID().slice(0, 8)}.`;
const topics = topicNames(prefix);
const CATEGORIES = ['guardrail_violation', 'sensitive_data_exposure', 'authentication_failure'];

function event(i) {
  const category = CATEGORIES[i % CATEGORIES.length];
  return securityEventCodec.fromJson({
    event_id: randomUUID(),
    time_ms: 1_764_000_000_000 + i,
    category,
    severity: 'high',
    outcome: 'blocked',
    tenant_id: `tenant-${i % 50}`,
    reporter: 'gateway',
    actor: {
      user_id: `u-${i % 997}`,
      app_id: 'support-bot',
      api_key_id: 'key_7f3a9c',
      source_ip: '203.0.113.7',
      user_agent: 'openai-python/1.54.0',
    },
    target: {
      provider: 'openai',
      model: 'gpt-4o',
      operation: 'chat',
      endpoint_host: 'api.openai.com',
      endpoint_kind: 'external',
      http_method: 'POST',
      http_path: '/v1/chat/completions',
    },
    invocation_id: randomUUID(),
    trace_id: randomUUID().replace(/-/g, ''),
    rule: {
      id: 'gr-prompt-injection',
      name: 'Prompt injection',
      type: 'prompt_injection',
      policy: 'default',
      version: '3',
    },
    sensitive_data:
      category === 'sensitive_data_exposure'
        ? {
            classes: ['pii'],
            entity_types: ['EMAIL', 'PHONE'],
            finding_count: 2,
            finding_ids: [randomUUID(), randomUUID()],
            fields: ['input_messages[0].content'],
            max_confidence: 0.98,
          }
        : null,
    auth: category === 'authentication_failure' ? { reason: 'revoked_key' } : null,
  });
}

async function sumOffsets(admin, topic) {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((s, o) => s + Number(o.high), 0);
}

/** Steady-state rate: from the first output record to the last, so group join is not counted. */
async function measure(what, probe, total, timeoutMs = 120_000) {
  process.stderr.write(`measuring ${what}…\n`);
  const start = Date.now();
  let t0;
  let n0 = 0;
  for (;;) {
    const n = await probe();
    const now = Date.now();
    if (t0 === undefined && n > 0) {
      t0 = now;
      n0 = n;
    }
    if (n >= total) {
      const seconds = (now - t0) / 1000;
      return { rate: (total - n0) / seconds, seconds, totalSeconds: (now - start) / 1000 };
    }
    if (now - start > timeoutMs)
      throw new Error(`${what}: only ${n} of ${total} records after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** rsyslogd writing two bytes per message received, so the file size counts them. */
async function startRsyslog() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-rsyslog-'));
  const port = await freePort();
  const out = path.join(dir, 'count');
  fs.writeFileSync(
    path.join(dir, 'rsyslog.conf'),
    `global(workDirectory="${dir}")
module(load="imtcp")
template(name="count" type="string" string="x\\n")
ruleset(name="r") { action(type="omfile" file="${out}" template="count" asyncWriting="on" flushInterval="1" ioBufferSize="64k") }
input(type="imtcp" address="127.0.0.1" port="${port}" ruleset="r")
`,
  );
  const child = spawn(
    'rsyslogd',
    ['-n', '-f', path.join(dir, 'rsyslog.conf'), '-i', path.join(dir, 'pid')],
    { stdio: 'ignore' },
  );
  for (let i = 0; ; i++) {
    const up = await new Promise((r) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        r(true);
      });
      s.on('error', () => r(false));
    });
    if (up) break;
    if (i > 200) throw new Error('rsyslogd did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  let base = 0;
  const count = () => (fs.existsSync(out) ? fs.statSync(out).size / 2 : 0) - base;
  return {
    port,
    count,
    reset: () => {
      base += count();
    },
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function cpuSeconds(fn) {
  const u0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  fn();
  const u = process.cpuUsage(u0);
  return { cpu: (u.user + u.system) / 1e6, wall: Number(process.hrtime.bigint() - t0) / 1e9 };
}

async function main() {
  const admin = kafka.admin();
  await admin.connect();
  const created = [
    topics.securityEvents,
    dlqTopic(topics.securityEvents),
    topics.siemOcsf,
    `${prefix}baseline.ocsf`,
  ];
  await admin.createTopics({
    waitForLeaders: true,
    topics: created.map((topic) => ({ topic, numPartitions: 3, replicationFactor: 1 })),
  });
  const rsyslog = await startRsyslog();
  const results = {};
  try {
    process.stderr.write(`generating and producing ${N} security events…\n`);
    const events = Array.from({ length: N }, (_, i) => event(i));
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    for (let i = 0; i < N; i += 500) {
      await producer.send({
        topic: topics.securityEvents,
        acks: -1,
        messages: events
          .slice(i, i + 500)
          .map((e) => ({ key: e.tenant_id, value: securityEventCodec.encode(e) })),
      });
    }

    // Baseline 1: formatting alone (decode + OCSF, decode + syslog), one core.
    const encoded = events.map((e) => securityEventCodec.encode(e));
    formatOcsf(events[0]);
    const fmt = cpuSeconds(() => {
      for (const b of encoded) formatOcsf(securityEventCodec.decode(b));
    });
    const fmtSyslog = cpuSeconds(() => {
      for (const b of encoded) frameOctetCounting(toSyslog(securityEventCodec.decode(b)));
    });
    results.formatOcsf = { rate: N / fmt.wall, perCore: N / fmt.cpu };
    results.formatSyslog = { rate: N / fmtSyslog.wall, perCore: N / fmtSyslog.cpu };

    // Baseline 2: raw kafkajs produce of the same pre-formatted OCSF records (acks=all, idempotent).
    const ocsf = events.map((e) => ({ key: e.tenant_id, value: formatOcsf(e) }));
    const t0 = Date.now();
    const inflight = [];
    for (let i = 0; i < N; i += 250) {
      inflight.push(
        producer.send({
          topic: `${prefix}baseline.ocsf`,
          acks: -1,
          messages: ocsf.slice(i, i + 250),
        }),
      );
      if (inflight.length >= 3) await inflight.shift();
    }
    await Promise.all(inflight);
    results.rawProduce = { rate: N / ((Date.now() - t0) / 1000) };
    await producer.disconnect();

    // Baseline 3: raw socket writes of the same pre-framed messages to the same rsyslogd.
    const framed = Buffer.concat(events.map((e) => frameOctetCounting(toSyslog(e))));
    const sock = net.connect(rsyslog.port, '127.0.0.1');
    await new Promise((r) => sock.once('connect', r));
    const s0 = Date.now();
    sock.write(framed);
    await measure('raw syslog writes', async () => rsyslog.count(), N);
    results.rawSyslog = { rate: N / ((Date.now() - s0) / 1000) };
    sock.destroy();
    rsyslog.reset();

    // The forwarder, Kafka sink only (OCSF topic).
    const base = {
      KAFKA_BROKERS: BROKERS,
      TOPIC_PREFIX: prefix,
      LOG_LEVEL: process.env.BENCH_LOG || 'silent',
    };
    let app = await startSiemForwarder(
      loadForwarderConfig({ ...base, SIEM_KAFKA_GROUP_ID: `${prefix}kafka` }),
      silent,
    );
    results.forwarderOcsf = await measure(
      'forwarder → OCSF topic',
      () => sumOffsets(admin, topics.siemOcsf),
      N,
    );
    await app.close();

    // The forwarder, syslog sink only (TCP to rsyslogd).
    app = await startSiemForwarder(
      loadForwarderConfig({
        ...base,
        SIEM_FORMATS: 'none',
        SIEM_SYSLOG_URL: `tcp://127.0.0.1:${rsyslog.port}`,
        SIEM_SYSLOG_GROUP_ID: `${prefix}syslog`,
      }),
      silent,
    );
    results.forwarderSyslog = await measure('forwarder → rsyslogd', async () => rsyslog.count(), N);
    await app.close();
  } finally {
    await rsyslog.stop();
    if (!args['keep-topics'])
      await admin.deleteTopics({ topics: created, timeout: 30_000 }).catch(() => undefined);
    await admin.disconnect();
  }

  const r = (x) => Math.round(x).toLocaleString('en-US');
  const lines = [
    `| path | records/s | note |`,
    `| --- | ---: | --- |`,
    `| formatting alone: decode + OCSF JSON | ${r(results.formatOcsf.rate)} | ${r(results.formatOcsf.perCore)} per CPU-second |`,
    `| formatting alone: decode + RFC 5424 (CEF) + framing | ${r(results.formatSyslog.rate)} | ${r(results.formatSyslog.perCore)} per CPU-second |`,
    `| baseline: raw kafkajs produce of pre-formatted OCSF | ${r(results.rawProduce.rate)} | acks=all, idempotent, 250/request, 3 in flight |`,
    `| **forwarder → OCSF topic** | **${r(results.forwarderOcsf.rate)}** | steady state over ${results.forwarderOcsf.seconds.toFixed(2)} s (${results.forwarderOcsf.totalSeconds.toFixed(2)} s with group join) |`,
    `| baseline: raw TCP write of pre-framed syslog to rsyslogd | ${r(results.rawSyslog.rate)} | one write, until rsyslogd wrote all |`,
    `| **forwarder → rsyslogd (TCP, octet counting)** | **${r(results.forwarderSyslog.rate)}** | steady state over ${results.forwarderSyslog.seconds.toFixed(2)} s (${results.forwarderSyslog.totalSeconds.toFixed(2)} s with group join) |`,
  ];
  process.stdout.write(
    `\n${N} security events, 3 partitions, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(2)}\n\n${lines.join('\n')}\n`,
  );
  if (args.json) fs.writeFileSync(args.json, JSON.stringify({ events: N, results }, null, 2));
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench siem failed: ${err.stack || err}\n`);
    process.exit(1);
  },
);
