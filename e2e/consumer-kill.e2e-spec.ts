import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { piiFindingCodec, securityEventCodec, type SecurityEvent } from '@llmops/contracts';
import { readMessages, testKafka, testEndpoints, uniqueName } from '@llmops/testing';
import { loadForwarderConfig, startSiemForwarder } from '../services/siem-forwarder/src';
import { Pipeline, piiEvent, silent } from './pipeline-harness';
import { exitWithin, runNode } from './processes';

const fixture = path.join(__dirname, 'fixtures/consumer-killed-after-side-effect.js');

/** Runs the service as a fixture process that is SIGKILLed after its first side effect, before committing. */
async function killAfterFirstBatch(service: string, env: Record<string, string>): Promise<number> {
  const crashing = runNode(fixture, { ...env, FIXTURE_SERVICE: service });
  const crashed = await exitWithin(crashing, 120_000, `the ${service} fixture`);
  expect(crashed.signal).toBe('SIGKILL');
  const handled = Number(/handled (\d+)/.exec(crashing.output())?.[1]);
  expect(handled).toBeGreaterThan(0);
  return handled;
}

/**
 * Every consumer is at-least-once with idempotent side effects: killed with
 * SIGKILL between its side effect and its commit, then restarted in the same
 * consumer group, it handles the batch again and nothing is lost or counted
 * twice downstream. (The analytics sink: redelivery.e2e-spec.ts; the
 * token accountant: services/token-accountant/test.)
 */
describe('a consumer killed between its side effect and its commit', () => {
  let p: Pipeline;

  afterEach(async () => {
    await p?.stop();
  });

  it('pii-scanner: the batch is scanned again; ClickHouse and the findings topic hold each event and finding once', async () => {
    const e = testEndpoints();
    p = await new Pipeline({
      kafkaBrokers: e.kafkaBrokers,
      clickhouseUrl: e.clickhouseUrl,
      withScanner: false,
    }).start();
    const key = await p.key('acme');
    const events = Array.from({ length: 200 }, () => piiEvent());
    expect((await p.post(key, events)).status).toBe(202);

    const handled = await killAfterFirstBatch('pii-scanner', p.env());
    const restartAt = Date.now();
    await p.startScanner();
    await p.waitForRows(200);
    process.stdout.write(
      `pii-scanner kill: all 200 events in ClickHouse ${Date.now() - restartAt} ms after the restart (the killed member's session must time out first)\n`,
    );
    const [stats] = await p.rows<{ n: number; ids: number; raw: number }>(`
      SELECT count() AS n, uniqExact(event_id) AS ids,
             countIf(position(input_messages_json, '@example.com') > 0) AS raw
      FROM {db}.invocations FINAL`);
    expect(stats).toEqual({ n: 200, ids: 200, raw: 0 });

    // Two findings per event (an e-mail address and a phone number); the
    // rescanned batch repeats its findings with the same stable ids.
    const findings = await readMessages(testKafka(), p.topics.piiFindings, 400 + 2 * handled);
    const ids = new Set(findings.map((m) => piiFindingCodec.decode(m.value!).finding_id));
    expect(ids.size).toBe(400);
  });

  it('siem-forwarder: the batch is forwarded again under the same OCSF uid; every event reaches the SOC', async () => {
    const e = testEndpoints();
    p = await new Pipeline({
      kafkaBrokers: e.kafkaBrokers,
      clickhouseUrl: e.clickhouseUrl,
      withScanner: false,
      withSink: false,
    }).start();
    const events: SecurityEvent[] = Array.from({ length: 100 }, (_, i) =>
      securityEventCodec.fromJson({
        event_id: randomUUID(),
        time_ms: 1_764_000_000_000 + i,
        category: 'authentication_failure',
        severity: 'medium',
        outcome: 'blocked',
        tenant_id: 'acme',
        reporter: 'ingress',
        actor: { user_id: null, app_id: null, source_ip: '203.0.113.7' },
        target: { provider: null, model: null, operation: null, http_method: 'POST' },
      }),
    );
    const producer = testKafka().producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({
      topic: p.topics.securityEvents,
      acks: -1,
      messages: events.map((ev) => ({ key: ev.tenant_id, value: securityEventCodec.encode(ev) })),
    });
    await producer.disconnect();

    const env = { ...p.env(), SIEM_KAFKA_GROUP_ID: uniqueName('siem-kafka') };
    const handled = await killAfterFirstBatch('siem-forwarder', env);
    let forwarder: INestApplicationContext | undefined;
    try {
      const restartAt = Date.now();
      forwarder = await startSiemForwarder(loadForwarderConfig(env), silent);
      const ocsf = await readMessages(testKafka(), p.topics.siemOcsf, 100 + handled);
      process.stdout.write(
        `siem-forwarder kill: all 100 events forwarded ${Date.now() - restartAt} ms after the restart\n`,
      );
      const uids = new Set(
        ocsf.map(
          (m) => (JSON.parse(m.value!.toString()) as { metadata: { uid: string } }).metadata.uid,
        ),
      );
      expect(uids.size).toBe(100);
      expect(
        events.every((ev) => ocsf.some((m) => m.value!.toString().includes(ev.event_id))),
      ).toBe(true);
    } finally {
      await forwarder?.close();
    }
  });
});
