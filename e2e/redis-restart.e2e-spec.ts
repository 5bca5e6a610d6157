import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Redis from 'ioredis';
import { dlqTopic } from '@llmops/contracts';
import { UsageKeys, UsageReader } from '@llmops/pricing';
import { findFreePorts } from '@llmops/stack';
import { testEndpoints, testKafka, waitFor } from '@llmops/testing';
import { Pipeline, piiEvent } from './pipeline-harness';

/**
 * Redis holds the counters and the dedupe marks; budgets and API keys live
 * on compacted Kafka topics and are never lost with Redis. Run as the
 * project recommends (append-only file, fsync on every write), a Redis
 * SIGKILLed under load and restarted keeps every counted event: the
 * accountant pauses while Redis is away, then counts what came meanwhile,
 * and each event exactly once.
 */
describe('Redis killed and restarted under the token accountant', () => {
  let dir: string;
  let port: number;
  let redis: ChildProcess | undefined;
  let p: Pipeline;

  async function startRedis(): Promise<void> {
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
      ],
      { stdio: 'ignore' },
    );
    redis = child;
    await waitFor('the test Redis to answer PING', async () => {
      const client = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0 });
      try {
        await client.connect();
        return (await client.ping()) === 'PONG';
      } catch {
        return false;
      } finally {
        client.disconnect();
      }
    });
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmops-redis-'));
    [port] = (await findFreePorts(1)) as [number];
    await startRedis();
    const e = testEndpoints();
    p = await new Pipeline({
      kafkaBrokers: e.kafkaBrokers,
      clickhouseUrl: e.clickhouseUrl,
      withScanner: false,
      withSink: false,
    }).start();
    await p.startAccountant(`redis://127.0.0.1:${port}`);
  });

  afterAll(async () => {
    await p?.stop();
    redis?.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('counts every accepted event exactly once across the restart', async () => {
    const key = await p.key('acme');
    let inputTokens = 0;
    let requests = 0;
    const post = async () => {
      const events = Array.from({ length: 25 }, () => piiEvent());
      expect((await p.post(key, events)).status).toBe(202);
      for (const e of events) inputTokens += (e.usage as { input_tokens: number }).input_tokens;
      requests += events.length;
    };
    for (let i = 0; i < 8; i++) await post();

    const client = () => new Redis({ port, maxRetriesPerRequest: 1 });
    const reader = (r: Redis) => new UsageReader(r, new UsageKeys(p.redisPrefix));
    const usage = async () => {
      const r = client();
      try {
        return (await reader(r).usage('acme', 'tenant', 'day', Date.now())).total;
      } finally {
        r.disconnect();
      }
    };
    // Some of the load counted, then Redis dies mid-way.
    await waitFor(
      'the accountant to count the first events',
      async () => (await usage()).requests > 0,
    );
    const exited = new Promise((r) => redis!.once('exit', r));
    redis!.kill('SIGKILL');
    await exited;
    for (let i = 0; i < 8; i++) await post();
    await startRedis();
    const backAt = Date.now();
    for (let i = 0; i < 4; i++) await post();

    await waitFor(
      `the accountant to count all ${requests} events`,
      async () => (await usage()).requests >= requests,
      { timeoutMs: 120_000 },
    );
    process.stdout.write(
      `redis restart: all ${requests} events counted ${Date.now() - backAt} ms after Redis was back\n`,
    );
    const total = await usage();
    expect(total.requests).toBe(requests);
    expect(total.input_tokens).toBe(inputTokens);

    const admin = testKafka().admin();
    await admin.connect();
    const dlq = await admin.fetchTopicOffsets(dlqTopic(p.topics.invocations));
    await admin.disconnect();
    expect(dlq.reduce((n, o) => n + Number(o.high), 0)).toBe(0);
  });
});
