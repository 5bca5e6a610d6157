import { dlqTopic, securityEventCodec } from '@llmops/contracts';
import { DlqHeaders } from '@llmops/kafka';
import { readMessages, waitFor } from '@llmops/testing';
import { ForwarderHarness, securityEvent } from './forwarder-harness';
import { HecStandIn } from './hec-stand-in';

const TOKEN = '11111111-2222-3333-4444-555555555555';

describe('siem-forwarder: Splunk HTTP Event Collector', () => {
  let h: ForwarderHarness;
  let hec: HecStandIn;

  beforeEach(async () => {
    h = await new ForwarderHarness().setUp();
  });
  afterEach(async () => {
    await h.close();
    await hec.stop();
  });

  it('posts batches of at most SIEM_HEC_BATCH_MAX_EVENTS with the Splunk token, OCSF as the event', async () => {
    hec = await new HecStandIn(TOKEN).start();
    const events = Array.from({ length: 23 }, () => securityEvent());
    await h.produce(events);
    await h.start({
      SIEM_FORMATS: 'none',
      SIEM_HEC_URL: hec.url,
      SIEM_HEC_TOKEN: TOKEN,
      SIEM_HEC_BATCH_MAX_EVENTS: '5',
    });

    const got = await waitFor('HEC to receive 23 events', () =>
      hec.accepted().length >= 23 ? hec.accepted() : false,
    );
    expect(got.map((e) => e.fields.llmops_event_id).sort()).toEqual(
      events.map((e) => e.event_id).sort(),
    );
    for (const r of hec.requests) {
      expect(r.authorization).toBe(`Splunk ${TOKEN}`);
      expect(r.events.length).toBeGreaterThan(0);
      expect(r.events.length).toBeLessThanOrEqual(5);
    }
    expect(hec.requests.length).toBeGreaterThanOrEqual(5);
    const first = got[0]!;
    expect(first.sourcetype).toBe('llmops:ocsf');
    expect(first.time).toBe(1_764_000_001);
    expect(first.event).toMatchObject({
      class_uid: 2004,
      metadata: { uid: first.fields.llmops_event_id },
    });
  });

  it('retries while HEC answers 503 and delivers everything once it recovers', async () => {
    hec = await new HecStandIn(TOKEN).start();
    hec.down = true;
    const events = Array.from({ length: 12 }, () => securityEvent());
    await h.produce(events);
    await h.start({ SIEM_HEC_URL: hec.url, SIEM_HEC_TOKEN: TOKEN });

    await waitFor('the forwarder to be refused a few times', () => hec.refused >= 3);
    expect(hec.accepted()).toHaveLength(0);
    hec.down = false;
    const got = await waitFor('HEC to receive all 12 events', () =>
      hec.accepted().length >= 12 ? hec.accepted() : false,
    );
    expect(new Set(got.map((e) => e.fields.llmops_event_id))).toEqual(
      new Set(events.map((e) => e.event_id)),
    );
  });

  it('with indexer acknowledgement, polls /services/collector/ack on its channel before committing', async () => {
    hec = await new HecStandIn(TOKEN, { ack: true, ackAfterPolls: 2 }).start();
    const events = Array.from({ length: 4 }, () => securityEvent());
    await h.produce(events);
    await h.start({
      SIEM_FORMATS: 'none',
      SIEM_HEC_URL: hec.url,
      SIEM_HEC_TOKEN: TOKEN,
      SIEM_HEC_ACK: 'true',
    });
    await waitFor('HEC to receive 4 events', () => hec.accepted().length >= 4);
    // Each batch's ackId was polled until the indexers said yes (on the third poll).
    await waitFor('every batch to be acknowledged', () =>
      hec.requests.every((_, id) => hec.polls.get(id) === 3),
    );
    const channels = new Set(hec.requests.map((r) => r.channel));
    expect(channels.size).toBe(1);
    expect([...channels][0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('dead-letters an event HEC refuses as invalid data and delivers the others', async () => {
    const bad = securityEvent({ reporter: 'refuse-me' });
    const good = Array.from({ length: 6 }, () => securityEvent());
    hec = await new HecStandIn(TOKEN, { reject: (l) => l.includes('refuse-me') }).start();
    await h.produce([...good.slice(0, 3), bad, ...good.slice(3)]);
    await h.start({ SIEM_FORMATS: 'none', SIEM_HEC_URL: hec.url, SIEM_HEC_TOKEN: TOKEN });

    const [dead] = await readMessages(h.kafka, dlqTopic(h.topics.securityEvents), 1, 30_000);
    expect(dead!.headers[DlqHeaders.error]).toMatch(/hec sink: refused .*code 6/);
    expect(dead!.headers[DlqHeaders.consumerGroup]).toMatch(/^siem-hec-/);
    expect(securityEventCodec.decode(dead!.value!).event_id).toBe(bad.event_id);
    await waitFor('HEC to receive the 6 good events', () =>
      new Set(hec.accepted().map((e) => e.fields.llmops_event_id)).size === 6 ? true : false,
    );
  });
});
