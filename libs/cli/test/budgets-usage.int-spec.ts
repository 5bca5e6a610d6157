import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { Redis } from 'ioredis';
import {
  COUNT_SCRIPT,
  LuaScript,
  UsageKeys,
  buildCountCalls,
  type CountableEvent,
} from '@llmops/pricing';
import { testEndpoints, testKafka, uniqueName, waitFor } from '@llmops/testing';
import { llmops } from './run-cli';

const ROOT = path.resolve(__dirname, '../../..');
/** The built ingress, run as its own process: the usage API the CLI must agree with. */
const INGRESS = path.join(ROOT, 'services/ingress/dist/main.js');

/** Starts the built ingress on a free port; resolves with its URL once it listens. */
async function startIngress(env: Record<string, string>) {
  const child = spawn(process.execPath, [INGRESS], {
    env: {
      ...process.env,
      KAFKA_BROKERS: testEndpoints().kafkaBrokers,
      INGRESS_PORT: '0',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      ...env,
    },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const url = await waitFor(
    'the ingress to log "ingress listening"',
    () => {
      if (child.exitCode !== null) throw new Error(`the ingress exited: ${output}`);
      const line = output.split('\n').find((l) => l.includes('"ingress listening"'));
      return line ? (JSON.parse(line) as { url: string }).url.replace('[::1]', '127.0.0.1') : false;
    },
    { timeoutMs: 60_000, intervalMs: 100 },
  );
  return { child, url };
}

function stop(child: ChildProcessWithoutNullStreams): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

const count = new LuaScript(COUNT_SCRIPT);

describe('llmops budgets and usage against real Kafka, Redis and a running ingress', () => {
  const topicPrefix = `${uniqueName('t-cli')}.`;
  const keyPrefix = `${uniqueName('t')}:`;
  const env = { TOPIC_PREFIX: topicPrefix, REDIS_KEY_PREFIX: keyPrefix };
  const redis = new Redis(testEndpoints().redisUrl);
  let ingress: ChildProcessWithoutNullStreams | undefined;

  beforeAll(async () => {
    const ensure = await llmops(['topics', 'ensure'], env);
    expect(ensure.code).toBe(0);
  });

  afterAll(async () => {
    if (ingress) await stop(ingress);
    const admin = testKafka('cli-test').admin();
    await admin.connect();
    const mine = (await admin.listTopics()).filter((t) => t.startsWith(topicPrefix));
    await admin.deleteTopics({ topics: mine });
    await admin.disconnect();
    const found = await redis.keys(`${keyPrefix}*`);
    if (found.length > 0) await redis.unlink(...found);
    redis.disconnect();
  });

  it('creates, lists, changes and deletes a budget, naming the flag of every bad field', async () => {
    const created = await llmops(
      [
        'budgets',
        'create',
        '--tenant',
        'acme',
        '--id',
        'bot-daily',
        '--scope',
        'app',
        '--scope-value',
        'support-bot',
        '--period',
        'day',
        '--unit',
        'usd',
        '--limit',
        '2.50',
        '--thresholds',
        '50,90',
        '--name',
        'bot daily',
      ],
      env,
    );
    expect(created.stderr).toContain('created budget bot-daily for tenant acme');
    expect(created.code).toBe(0);
    expect(created.stdout.trim()).toBe(
      'bot-daily  acme  app:support-bot  day  $2.5  soft 50,90  hard 100%  rev 1  bot daily',
    );

    const again = await llmops(
      [
        'budgets',
        'create',
        '--tenant',
        'acme',
        '--id',
        'bot-daily',
        '--scope',
        'tenant',
        '--period',
        'day',
        '--unit',
        'tokens',
        '--limit',
        '10',
      ],
      env,
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /tenant acme already has a budget 'bot-daily'; change it instead with `llmops budgets set`/,
    );

    const bad = await llmops(
      ['budgets', 'create', '--tenant', 'acme', '--scope', 'team', '--unit', 'usd'],
      env,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/budgets create: invalid budget/);
    expect(bad.stderr).toMatch(/--scope: must be one of tenant, app, user, agent/);
    expect(bad.stderr).toMatch(/--period: must be one of day, month/);
    expect(bad.stderr).toMatch(/--limit: must be a USD amount/);

    const listed = await llmops(['budgets', 'list', '--tenant', 'acme', '--json'], env);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual({
      budgets: [
        expect.objectContaining({
          budget_id: 'bot-daily',
          scope: 'app',
          scope_value: 'support-bot',
          unit: 'usd',
          limit: '2.5',
          thresholds_pct: [50, 90],
          hard_limit_pct: 100,
          revision: 1,
        }),
      ],
    });

    const changed = await llmops(
      ['budgets', 'set', 'bot-daily', '--tenant', 'acme', '--limit', '5', '--hard-limit', 'none'],
      env,
    );
    expect(changed.code).toBe(0);
    expect(changed.stdout.trim()).toBe(
      'bot-daily  acme  app:support-bot  day  $5  soft 50,90  hard none  rev 2  bot daily',
    );
    const badChange = await llmops(
      ['budgets', 'set', 'bot-daily', '--tenant', 'acme', '--thresholds', '50,lots'],
      env,
    );
    expect(badChange.code).toBe(2);
    expect(badChange.stderr).toMatch(
      /--thresholds: must be a list of at most 20 whole percentages/,
    );

    const unknown = await llmops(
      ['budgets', 'set', 'nope', '--tenant', 'acme', '--limit', '1'],
      env,
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(
      /tenant acme has no budget 'nope'; `llmops budgets list --tenant acme` lists them/,
    );
    expect((await llmops(['budgets', 'delete', 'nope', '--tenant', 'acme'], env)).code).toBe(1);

    const deleted = await llmops(['budgets', 'delete', 'bot-daily', '--tenant', 'acme'], env);
    expect(deleted.code).toBe(0);
    const empty = await llmops(['budgets', 'list', '--tenant', 'acme'], env);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toBe('');
    expect(empty.stderr).toMatch(/no budgets for tenant acme/);
  });

  it('prints the numbers GET /v1/usage answers, for every grouping, period and --at', async () => {
    const keys = new UsageKeys(keyPrefix);
    const now = Date.now();
    const yesterday = now - 86_400_000;
    const event = (e: Partial<CountableEvent>): CountableEvent => ({
      event_id: uniqueName('e'),
      start_time_ms: now,
      app_id: 'support-bot',
      user_id: 'u-1',
      agent_id: null,
      model: 'gpt-4o',
      input_tokens: 1_000,
      output_tokens: 200,
      cached_input_tokens: 100,
      reasoning_tokens: 0,
      // 900 × 2.50 + 100 × 1.25 + 200 × 10.00 µ$ = 4,375 µ$, in picodollars
      cost: 4_375_000_000n,
      error: false,
      unpriced: false,
      ...e,
    });
    const events = [
      event({}),
      event({ user_id: 'jane@example.com', agent_id: 'planner' }),
      event({ model: 'claude-sonnet-4', app_id: 'search', cost: 3_123_456_789n, error: true }),
      event({ model: 'm-mystery', cost: 0n, unpriced: true, output_tokens: 7 }),
      event({ start_time_ms: yesterday, model: 'o3', cost: 999_999n }),
    ];
    for (const c of buildCountCalls(keys, 'acme', events, [], 3_600)) {
      await count.run(redis, [c.tenantBase], c.args);
    }

    const key = await llmops(['keys', 'create', '--tenant', 'acme', '--scopes', 'query'], env);
    expect(key.code).toBe(0);
    const started = await startIngress({
      ...env,
      REDIS_URL: testEndpoints().redisUrl,
    });
    ingress = started.child;
    const api = async (q: string) => {
      const res = await fetch(`${started.url}/v1/usage?${q}`, {
        headers: { authorization: `Bearer ${key.stdout.trim()}` },
      });
      expect(res.status).toBe(200);
      return res.json();
    };

    const cases: Array<[string, string, number]> = [
      ['model', 'day', now],
      ['model', 'month', now],
      ['model', 'day', yesterday],
      ['tenant', 'hour', now],
      ['user', 'day', now],
      ['agent', 'minute', now],
      ['app', 'day', now - 3 * 86_400_000],
    ];
    for (const [groupBy, period, at] of cases) {
      const iso = new Date(at).toISOString();
      const cli = await llmops(
        [
          'usage',
          '--tenant',
          'acme',
          '--group-by',
          groupBy,
          '--period',
          period,
          '--at',
          iso,
          '--json',
        ],
        env,
      );
      expect(cli.code).toBe(0);
      expect(JSON.parse(cli.stdout)).toEqual(
        await api(`group_by=${groupBy}&period=${period}&at=${encodeURIComponent(iso)}`),
      );
    }

    const table = await llmops(
      ['usage', '--tenant', 'acme', '--group-by', 'model', '--period', 'day'],
      env,
    );
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    const day = new Date(now).toISOString().slice(0, 10);
    expect(lines[0]).toBe(
      `usage of tenant acme by model, day ${day} (UTC ${day}T00:00:00.000Z to ${new Date(Date.parse(day) + 86_400_000).toISOString()})`,
    );
    const cells = (name: string) => lines.find((l) => l.startsWith(`${name} `))?.split(/\s+/) ?? [];
    expect(lines[1]!.split(/\s+/)).toEqual([
      'model',
      'requests',
      'input',
      'cached',
      'output',
      'reasoning',
      'tokens',
      'errors',
      'unpriced',
      'cost_usd',
    ]);
    expect(cells('gpt-4o')).toEqual([
      'gpt-4o',
      '2',
      '2000',
      '200',
      '400',
      '0',
      '2400',
      '0',
      '0',
      '0.00875',
    ]);
    expect(cells('claude-sonnet-4')).toEqual([
      'claude-sonnet-4',
      '1',
      '1000',
      '100',
      '200',
      '0',
      '1200',
      '1',
      '0',
      '0.003123456789',
    ]);
    expect(cells('m-mystery')).toEqual([
      'm-mystery',
      '1',
      '1000',
      '100',
      '7',
      '0',
      '1007',
      '0',
      '1',
      '0',
    ]);
    expect(cells('total')).toEqual([
      'total',
      '4',
      '4000',
      '400',
      '607',
      '0',
      '4607',
      '1',
      '1',
      '0.011873456789',
    ]);
    expect(lines.at(-1)).toMatch(
      /1 request\(s\) of models without a price are counted in tokens at \$0/,
    );
  });

  it('says what to do about a bad period, a bad time and an unreachable Redis', async () => {
    const period = await llmops(['usage', '--tenant', 'acme', '--period', 'week'], env);
    expect(period.code).toBe(2);
    expect(period.stderr).toMatch(
      /--period must be one of minute, hour, day, month \(got 'week'\)/,
    );
    const group = await llmops(['usage', '--tenant', 'acme', '--group-by', 'team'], env);
    expect(group.code).toBe(2);
    expect(group.stderr).toMatch(/--group-by must be one of tenant, app, user, agent, model/);
    const at = await llmops(['usage', '--tenant', 'acme', '--at', 'yesterday'], env);
    expect(at.code).toBe(2);
    expect(at.stderr).toMatch(/--at must be an ISO 8601 time .* or epoch milliseconds/);
    expect((await llmops(['usage', '--period', 'day'], env)).stderr).toMatch(
      /--tenant is required/,
    );

    const configured = await llmops(['usage', '--tenant', 'acme'], {
      ...env,
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    expect(configured.code).toBe(1);
    expect(configured.stderr).toMatch(
      /Redis at redis:\/\/127.0.0.1:1 is not reachable \(connect ECONNREFUSED 127.0.0.1:1\)\. Check REDIS_URL\./,
    );
    // No REDIS_URL: the local stack's Redis, here on a port where nothing listens.
    const local = await llmops(['usage', '--tenant', 'acme'], {
      ...env,
      KAFKA_BROKERS: undefined,
      CLICKHOUSE_URL: undefined,
      REDIS_URL: undefined,
      LLMOPS_STACK_REDIS_PORT: '1',
    });
    expect(local.code).toBe(1);
    expect(local.stderr).toMatch(
      /Start the local stack with `npx llmops stack up`, or set REDIS_URL/,
    );
  });
});
