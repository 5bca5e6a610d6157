import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LocalKafka } from '@llmops/stack';
import { testEndpoints, waitFor } from '@llmops/testing';
import { startOwnKafka } from './own-kafka';
import { Pipeline, piiEvent } from './pipeline-harness';

/**
 * A broker of its own (own ports and data folder) so stopping it disturbs no
 * other test. Its jars are the local stack's (resolved by Maven when missing,
 * e.g. when the other servers come from Testcontainers).
 */
describe('Kafka outage while the ingress is up', () => {
  let kafka: LocalKafka;
  let p: Pipeline;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmops-outage-'));
    kafka = await startOwnKafka(dir);
    p = await new Pipeline({
      kafkaBrokers: kafka.brokers,
      clickhouseUrl: testEndpoints().clickhouseUrl,
      env: { INGRESS_ACK_TIMEOUT_MS: '3000' },
    }).start();
  });

  afterAll(async () => {
    await p?.stop();
    await kafka?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 with Retry-After while Kafka is down, and every 202-acknowledged event reaches ClickHouse after it is back', async () => {
    const key = await p.key('acme');
    const acknowledged: string[] = [];
    const send = async () => {
      const events = Array.from({ length: 20 }, () => piiEvent());
      const res = await p.post(key, events);
      if (res.status === 202) acknowledged.push(...(res.json.event_ids as string[]));
      return res;
    };

    expect((await send()).status).toBe(202);
    await kafka.stop();

    const down = await send();
    expect(down.status).toBe(503);
    expect(down.json.error.code).toBe('kafka_unavailable');
    expect(Number(down.retryAfter)).toBeGreaterThan(0);
    const ready = await fetch(`${p.url}/readyz`);
    expect(ready.status).toBe(503);

    await kafka.start();
    const backAt = Date.now();
    // Clients retry after Retry-After; the ingress recovers without a restart.
    await waitFor('the ingress to accept events again', async () => (await send()).status === 202, {
      timeoutMs: 90_000,
      intervalMs: 1_000,
    });
    const acceptingMs = Date.now() - backAt;
    expect((await send()).status).toBe(202);

    // Wait for the acknowledged events themselves, not a row count: an event answered 503 (its
    // write's outcome unknown when the ingress gave up waiting) may be stored too, and would
    // make a count reach the number before every acknowledged one is in.
    const missing = async () => {
      const stored = new Set(
        (await p.rows<{ event_id: string }>('SELECT event_id FROM {db}.invocations FINAL')).map(
          (r) => r.event_id,
        ),
      );
      return acknowledged.filter((id) => !stored.has(id));
    };
    await waitFor(
      'every acknowledged event in ClickHouse',
      async () => ((await missing()).length === 0 ? true : undefined),
      { timeoutMs: 180_000, intervalMs: 500 },
    ).catch(async (err: Error) => {
      throw new Error(`${err.message}; missing: ${(await missing()).join(', ')}`);
    });
    process.stdout.write(
      `kafka outage: accepting again ${acceptingMs} ms after the broker was back (1 s probes); all ${acknowledged.length} acknowledged events stored ${Date.now() - backAt} ms after\n`,
    );
    expect(await missing()).toEqual([]);
  });
});
