import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import OpenAI from 'openai';
import type { LocalKafka } from '@llmops/stack';
import { LocalOpenAIUpstream, testEndpoints, waitFor } from '@llmops/testing';
import { startOwnKafka } from './own-kafka';
import { Pipeline } from './pipeline-harness';

interface Outcome {
  eventId: string | null;
  status: number;
  code?: string | null;
}

/**
 * Model calls through the gateway while its Kafka broker (one of the test's own) is stopped and
 * started again. No call may be made without its record being kept: calls answered while Kafka
 * is away keep their records in the gateway until Kafka takes them, and once the gateway knows
 * Kafka is not taking records it refuses new calls (503) before calling the model. Afterwards
 * every call that got an answer has exactly one record in ClickHouse, through the pipeline.
 */
describe('gateway calls while Kafka is down', () => {
  let kafka: LocalKafka;
  let p: Pipeline;
  let upstream: LocalOpenAIUpstream;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmops-gw-outage-'));
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
      ].join('\n'),
    );
    p = await new Pipeline({
      kafkaBrokers: kafka.brokers,
      clickhouseUrl: testEndpoints().clickhouseUrl,
      env: { INGRESS_ACK_TIMEOUT_MS: '3000', GATEWAY_CONFIG_FILE: file, LOCAL_KEY: 'sk-local' },
    }).start();
  });

  afterAll(async () => {
    await p?.stop();
    await upstream?.close();
    await kafka?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the record of every call answered, refuses calls before the model while Kafka is away, and recovers by itself', async () => {
    const key = await p.key('acme', ['gateway', 'ingest']);
    const client = new OpenAI({ apiKey: key, baseURL: `${p.url}/v1`, maxRetries: 0 });
    const outcomes: Outcome[] = [];
    const callOrError = async (): Promise<Outcome> => {
      try {
        const { response } = await client.chat.completions
          .create({
            model: 'gpt-4o-mini',
            messages: [{ role: 'user', content: `call ${outcomes.length}` }],
          })
          .withResponse();
        const o = { eventId: response.headers.get('x-llmops-event-id'), status: 200 };
        outcomes.push(o);
        return o;
      } catch (err) {
        if (!(err instanceof OpenAI.APIError)) throw err;
        const o = {
          eventId: (err.headers as Headers | undefined)?.get('x-llmops-event-id') ?? null,
          status: err.status ?? 0,
          code: err.code,
        };
        outcomes.push(o);
        return o;
      }
    };

    for (let i = 0; i < 5; i++) expect((await callOrError()).status).toBe(200);
    await kafka.stop();
    const upstreamBefore = upstream.requests.length;
    // Calls go on; once the gateway sees Kafka is not taking records it refuses them first.
    const refused = await waitFor(
      'the gateway to refuse calls while Kafka is down',
      async () => {
        const o = await callOrError();
        return o.status === 503 ? o : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    expect(refused.code).toBe('audit_unavailable');
    const answeredWhileDown = outcomes.slice(5).filter((o) => o.status === 200).length;
    // A refused call never reached the model: the upstream saw only the answered ones.
    expect(upstream.requests.length - upstreamBefore).toBe(answeredWhileDown);
    for (let i = 0; i < 3; i++) expect((await callOrError()).status).toBe(503);
    expect(upstream.requests.length - upstreamBefore).toBe(answeredWhileDown);

    await kafka.start();
    await waitFor(
      'the gateway to make calls again',
      async () => (await callOrError()).status === 200,
      {
        timeoutMs: 90_000,
        intervalMs: 500,
      },
    );
    for (let i = 0; i < 5; i++) expect((await callOrError()).status).toBe(200);

    // Every call that passed authentication has its record, refused ones included.
    const ids = outcomes.map((o) => o.eventId);
    expect(ids.every((id) => typeof id === 'string')).toBe(true);
    await p.waitForRows(ids.length, 180_000);
    const rows = await p.rows<{ event_id: string; status: string; error_type: string | null }>(
      'SELECT event_id, status, error_type FROM {db}.invocations FINAL',
    );
    const byId = new Map(rows.map((r) => [r.event_id, r]));
    expect(ids.filter((id) => !byId.has(id!))).toEqual([]);
    for (const o of outcomes) {
      const r = byId.get(o.eventId!)!;
      expect(r.status).toBe(o.status === 200 ? 'ok' : 'error');
      if (o.status === 503) expect(r.error_type).toBe('audit_unavailable');
    }
    process.stdout.write(
      `gateway kafka outage: ${outcomes.length} calls, ${answeredWhileDown} answered while Kafka was down (records held, then stored), ${outcomes.filter((o) => o.status === 503).length} refused before the model\n`,
    );
  });
});
