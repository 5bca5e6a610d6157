import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { dlqTopic } from '@llmops/contracts';
import { DlqHeaders } from '@llmops/kafka';
import { readMessages } from '@llmops/testing';
import { EVENT_ID_HEADER } from '../src';
import { ForwarderHarness, securityEvent } from './forwarder-harness';

const run = promisify(execFile);

/** What every OCSF event record must carry (OCSF 1.8 base event, required attributes). */
const REQUIRED_OCSF = [
  'activity_id',
  'category_uid',
  'class_uid',
  'type_uid',
  'severity_id',
  'time',
  'metadata',
] as const;

describe('siem-forwarder: Kafka SIEM topics', () => {
  let h: ForwarderHarness;

  beforeEach(async () => {
    h = await new ForwarderHarness().setUp();
  });
  afterEach(() => h.close());

  it('writes every security event as OCSF JSON keyed by tenant, readable by kcat', async () => {
    const events = Array.from({ length: 20 }, (_, i) =>
      securityEvent({ tenant_id: i % 2 ? 'acme' : 'globex' }),
    );
    await h.produce(events);
    await h.start();

    const got = await readMessages(h.kafka, h.topics.siemOcsf, events.length, 30_000);
    expect(got.map((m) => m.headers[EVENT_ID_HEADER]).sort()).toEqual(
      events.map((e) => e.event_id).sort(),
    );
    for (const m of got) {
      const rec = JSON.parse(m.value!.toString()) as {
        metadata: { uid: string; tenant_uid: string };
      };
      expect(m.key).toBe(rec.metadata.tenant_uid);
      expect(rec.metadata.uid).toBe(m.headers[EVENT_ID_HEADER]);
    }

    // A consumer that is not ours: kcat, one record per line.
    const { stdout } = await run(
      'kcat',
      ['-b', h.brokers, '-C', '-t', h.topics.siemOcsf, '-o', 'beginning', '-e', '-q'],
      { timeout: 30_000 },
    );
    const lines = stdout.split('\n').filter((l) => l.length > 0);
    // At-least-once: a rebalance may repeat a record; the stable uid lets the SOC dedupe.
    expect(lines.length).toBeGreaterThanOrEqual(events.length);
    const uids = lines.map((line) => {
      const rec = JSON.parse(line) as Record<string, unknown> & {
        metadata: { uid: string; version: string; product: { name: string } };
      };
      for (const attr of REQUIRED_OCSF) expect(rec).toHaveProperty(attr);
      expect(rec.class_uid).toBe(2004);
      expect(rec.type_uid).toBe(200401);
      expect(rec.metadata.version).toBe('1.8.0');
      expect(rec.metadata.product.name).toBe('llmops');
      return rec.metadata.uid;
    });
    expect([...new Set(uids)].sort()).toEqual(events.map((e) => e.event_id).sort());
  });

  it('also writes CEF lines to the CEF topic when SIEM_FORMATS enables it', async () => {
    const events = [securityEvent(), securityEvent()];
    await h.produce(events);
    await h.start({ SIEM_FORMATS: 'ocsf,cef' });
    const cef = await readMessages(h.kafka, h.topics.siemCef, 2, 30_000);
    for (const m of cef) {
      const line = m.value!.toString();
      expect(line).toMatch(/^CEF:0\|llmops\|llmops\|/);
      expect(line).toContain(`externalId=${m.headers[EVENT_ID_HEADER]}`);
    }
    await readMessages(h.kafka, h.topics.siemOcsf, 2, 30_000);
  });

  it('forwards a full fetch whose OCSF records exceed what one produce request may carry', async () => {
    // One tenant → one partition: a ~1 MiB fetch of Avro is ~3 MiB of OCSF JSON.
    const events = Array.from({ length: 4000 }, () => securityEvent());
    for (let i = 0; i < events.length; i += 500) await h.produce(events.slice(i, i + 500));
    await h.start();
    const got = await readMessages(h.kafka, h.topics.siemOcsf, events.length, 60_000);
    expect(new Set(got.map((m) => m.headers[EVENT_ID_HEADER])).size).toBe(events.length);
  });

  it('sends poison events to the DLQ with the reason and keeps forwarding the rest', async () => {
    const before = securityEvent();
    const after = securityEvent();
    await h.produce([before]);
    await h.produceRaw([{ key: 'acme', value: Buffer.from('not avro at all') }]);
    await h.produce([securityEvent({ time_ms: -1 })]); // decodes, but no format can write it
    await h.produce([after]);
    await h.start();

    const out = await readMessages(h.kafka, h.topics.siemOcsf, 2, 30_000);
    expect(out.map((m) => m.headers[EVENT_ID_HEADER]).sort()).toEqual(
      [before.event_id, after.event_id].sort(),
    );
    const dead = await readMessages(h.kafka, dlqTopic(h.topics.securityEvents), 2, 30_000);
    const reasons = dead.map((m) => m.headers[DlqHeaders.error]).sort();
    expect(reasons[0]).toMatch(/not an Avro single-object/);
    expect(reasons[1]).toMatch(/time_ms must be an integer/);
    for (const m of dead) {
      expect(m.headers[DlqHeaders.sourceTopic]).toBe(h.topics.securityEvents);
      expect(m.headers[DlqHeaders.attempts]).toBe('1');
    }
  });
});
