import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import OpenAI from 'openai';
import { findFreePorts, type LocalKafka } from '@llmops/stack';
import { LocalOpenAIUpstream, testEndpoints, waitFor } from '@llmops/testing';
import { startOwnKafka } from './own-kafka';
import { Pipeline, repoRoot } from './pipeline-harness';
import { exitWithin, runNode, type NodeProcess } from './processes';

interface Outcome {
  eventId: string | null;
  status: number;
  /** When the call was answered: before Kafka stopped, or while it was down. */
  phase: 'up' | 'down';
}

/**
 * A tenant whose policy is to keep calling models while Kafka is down (`when_kafka_down:
 * spool`): the gateway, its own process, goes on answering calls with Kafka stopped, writing
 * their records to its spool before each answer ends, and is SIGKILLed under that load. Started
 * again with Kafka back, it sends the spool to Kafka: every call whose answer a client received
 * has its record in ClickHouse, through the pipeline. What was lost is counted (the goal: none).
 */
describe('gateway spooling records while Kafka is down, SIGKILLed under load', () => {
  let kafka: LocalKafka;
  let p: Pipeline;
  let upstream: LocalOpenAIUpstream;
  let dir: string;
  let gateway: NodeProcess | undefined;
  let port: number;

  const startGateway = async (env: Record<string, string>) => {
    const proc = runNode(path.join(repoRoot, 'services/ingress/dist/main.js'), env);
    await waitFor(
      'the gateway process to listen',
      () => proc.output().includes('ingress listening') || undefined,
      { timeoutMs: 60_000 },
    );
    return proc;
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmops-gw-spool-'));
    kafka = await startOwnKafka(dir);
    upstream = await LocalOpenAIUpstream.start();
    const file = path.join(dir, 'gateway.yaml');
    fs.writeFileSync(
      file,
      [
        'upstreams:',
        `  - { name: local, base_url: "${upstream.baseUrl}", format: openai, endpoint_kind: internal, credential: { env: LOCAL_KEY } }`,
        'routes:',
        '  - { model: gpt-4o-mini, targets: [{ upstream: local }] }',
        'tenants:',
        '  acme: { when_kafka_down: spool }',
      ].join('\n'),
    );
    // The pipeline (scanner, sink) and an ingress of its own in this process, to create keys.
    p = await new Pipeline({
      kafkaBrokers: kafka.brokers,
      clickhouseUrl: testEndpoints().clickhouseUrl,
      env: {
        INGRESS_ACK_TIMEOUT_MS: '3000',
        GATEWAY_CONFIG_FILE: file,
        GATEWAY_SPOOL_DIR: path.join(dir, 'spool-in-process'),
        LOCAL_KEY: 'sk-local',
      },
    }).start();
    [port] = (await findFreePorts(1)) as [number];
  });

  afterAll(async () => {
    gateway?.child.kill('SIGKILL');
    await p?.stop();
    await upstream?.close();
    await kafka?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('loses no record of an answered call', async () => {
    const spoolDir = path.join(dir, 'spool');
    const env = {
      ...p.env(),
      INGRESS_PORT: String(port),
      GATEWAY_SPOOL_DIR: spoolDir,
      LOG_LEVEL: 'info',
    };
    gateway = await startGateway(env);
    const url = `http://127.0.0.1:${port}`;
    const key = await p.key('acme', ['gateway', 'ingest']);
    const client = new OpenAI({ apiKey: key, baseURL: `${url}/v1`, maxRetries: 0 });
    await waitFor('the gateway process to know the key', async () => {
      const res = await fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
      return res.status === 200 || undefined;
    });

    const outcomes: Outcome[] = [];
    let phase: Outcome['phase'] = 'up';
    let stop = false;
    const loop = async () => {
      while (!stop) {
        const at = phase;
        try {
          const { response } = await client.chat.completions
            .create({
              model: 'gpt-4o-mini',
              messages: [{ role: 'user', content: `call ${outcomes.length}` }],
            })
            .withResponse();
          outcomes.push({
            eventId: response.headers.get('x-llmops-event-id'),
            status: 200,
            phase: at,
          });
        } catch (err) {
          if (err instanceof OpenAI.APIError && err.status !== undefined)
            outcomes.push({ eventId: null, status: err.status, phase: at });
          // A connection cut by the kill: no answer, nothing to account for.
        }
        // A steady load, not the most the machine can do: the records must fit the run.
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    const loops = Array.from({ length: 4 }, () => loop());
    await waitFor('calls answered with Kafka up', () => outcomes.length >= 20 || undefined);

    await kafka.stop();
    phase = 'down';
    let metricsText = '';
    const metric = async (name: string) => {
      metricsText = await (await fetch(`${url}/metrics`)).text();
      return Number(
        new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(metricsText)?.[1] ?? NaN,
      );
    };
    // Calls go on while Kafka is down; their records go to the spool, as do those answered
    // before the gateway knew Kafka was gone (they waited in memory).
    let seen = '';
    await waitFor(
      'calls answered and spooled while Kafka is down, nothing left waiting in memory',
      async () => {
        const down = outcomes.filter((o) => o.phase === 'down');
        const spooled = await metric('llmops_gateway_records_spooled_total');
        const pending = await metric('llmops_gateway_records_pending');
        seen = `${down.filter((o) => o.status === 200).length} answered and ${down.filter((o) => o.status !== 200).length} refused while down, ${spooled} spooled, ${pending} pending; metrics: ${metricsText.slice(0, 300)} gateway said: ${gateway!.output().slice(-1500)}`;
        return down.filter((o) => o.status === 200).length >= 100 && spooled > 0 && pending === 0;
      },
      { timeoutMs: 90_000, intervalMs: 200 },
    ).catch((err: Error) => {
      throw new Error(`${err.message}: ${seen}`);
    });
    gateway.child.kill('SIGKILL');
    expect(await exitWithin(gateway, 30_000, 'the gateway after SIGKILL')).toMatchObject({
      signal: 'SIGKILL',
    });
    stop = true;
    await Promise.all(loops);

    await kafka.start();
    gateway = await startGateway(env);
    const answered = outcomes.filter((o) => o.status === 200);
    expect(answered.every((o) => typeof o.eventId === 'string')).toBe(true);
    // No call was refused: the tenant's policy is to spool, and the spool had room.
    expect(outcomes.filter((o) => o.status !== 200)).toEqual([]);
    const ids = new Set(answered.map((o) => o.eventId!));
    await waitFor(
      'every answered call in ClickHouse',
      async () => {
        const rows = await p.rows<{ event_id: string }>(
          'SELECT DISTINCT event_id FROM {db}.invocations',
        );
        return [...ids].every((id) => rows.some((r) => r.event_id === id)) || undefined;
      },
      { timeoutMs: 180_000, intervalMs: 1_000 },
    );
    const rows = await p.rows<{ n: string }>(
      `SELECT count() AS n FROM {db}.invocations FINAL WHERE event_id IN (${[...ids].map((id) => `'${id}'`).join(',')})`,
    );
    expect(Number(rows[0]!.n)).toBe(ids.size);
    process.stdout.write(
      `gateway spool: ${answered.length} calls answered (${answered.filter((o) => o.phase === 'down').length} while Kafka was down), SIGKILLed under load, 0 records lost, 0 refused\n`,
    );
  });
});
