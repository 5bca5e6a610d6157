import { RECORD_LIMITS, dlqTopic } from '@llmops/contracts';
import { testEndpoints, testKafka, waitFor } from '@llmops/testing';
import { Pipeline, piiEvent } from './pipeline-harness';

const MiB = 1_048_576;

/** About `bytes` of ordinary prose, with one e-mail address in the middle. */
function longPrompt(bytes: number, n: number): string {
  const line = 'The quarterly report covers revenue, churn and the support backlog in detail. ';
  const half = line.repeat(Math.ceil(bytes / 2 / line.length));
  return `${half} Contact big.prompt${n}@example.com for the figures. ${half}`;
}

/**
 * Any record the API accepts fits the pipeline: a multi-megabyte prompt (a
 * 1M-token context window) and a batch larger than Kafka's 1 MiB default
 * reach every consumer and ClickHouse; what cannot travel is refused with a
 * 413 that names the limit, never a 503.
 */
describe('large records', () => {
  let p: Pipeline;
  let key: string;

  beforeAll(async () => {
    const e = testEndpoints();
    p = await new Pipeline({
      kafkaBrokers: e.kafkaBrokers,
      clickhouseUrl: e.clickhouseUrl,
      env: { INGRESS_MAX_BODY_BYTES: String(20 * MiB) },
    }).start();
    await p.startAccountant();
    key = await p.key('acme');
  });
  afterAll(() => p?.stop());

  /** True once `group` committed every offset of `topic` up to its end. */
  async function caughtUp(group: string, topic: string): Promise<boolean> {
    const admin = testKafka().admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      // A partition that never held a record has nothing to commit (-1).
      return ends.every(
        (end) =>
          end.high === '0' ||
          committed!.partitions.find((c) => c.partition === end.partition)?.offset === end.high,
      );
    } finally {
      await admin.disconnect();
    }
  }

  async function dlqCount(): Promise<number> {
    const admin = testKafka().admin();
    await admin.connect();
    try {
      let n = 0;
      for (const t of [p.topics.invocations, p.topics.invocationsRedacted]) {
        for (const o of await admin.fetchTopicOffsets(dlqTopic(t))) n += Number(o.high);
      }
      return n;
    } finally {
      await admin.disconnect();
    }
  }

  async function everyConsumerCaughtUp(): Promise<void> {
    await waitFor('the scanner, the accountant and the sink to commit every record', async () =>
      (
        await Promise.all([
          caughtUp(`${p.prefix}scanner`, p.topics.invocations),
          caughtUp(p.accountantGroup, p.topics.invocations),
          caughtUp(p.sinkGroup, p.topics.invocationsRedacted),
        ])
      ).every(Boolean),
    );
  }

  it('records a 2 MB prompt: accepted, redacted, counted and stored whole', async () => {
    const prompt = longPrompt(2 * 1_000_000, 1);
    const event = piiEvent({ input_messages: [{ role: 'user', content: prompt }] });
    const res = await p.post(key, event);
    expect(res.status).toBe(202);
    await p.waitForRows(1);
    const [row] = await p.rows<{ len: number; raw: number; redacted: number }>(
      `SELECT length(input_messages_json) AS len,
              position(input_messages_json, 'big.prompt1@example.com') AS raw,
              position(input_messages_json, '<EMAIL_1>') AS redacted
       FROM {db}.invocations FINAL WHERE event_id = '${event.event_id as string}'`,
    );
    expect(row!.len).toBeGreaterThan(prompt.length);
    expect(row!.raw).toBe(0);
    expect(row!.redacted).toBeGreaterThan(0);
    await everyConsumerCaughtUp();
    expect(await dlqCount()).toBe(0);
  });

  it('records a batch of 400 events of 10 KB each (4 MB in one request)', async () => {
    const events = Array.from({ length: 400 }, (_, i) =>
      piiEvent({ input_messages: [{ role: 'user', content: longPrompt(10_000, 100 + i) }] }),
    );
    const before = await p.rows<{ n: number }>('SELECT count() AS n FROM {db}.invocations FINAL');
    const res = await p.post(key, events);
    expect(res.status).toBe(202);
    expect(res.json.accepted).toBe(400);
    await p.waitForRows(before[0]!.n + 400);
    const ids = new Set(
      (await p.rows<{ event_id: string }>('SELECT event_id FROM {db}.invocations FINAL')).map(
        (r) => r.event_id,
      ),
    );
    expect(events.filter((e) => !ids.has(e.event_id as string))).toEqual([]);
    await everyConsumerCaughtUp();
    expect(await dlqCount()).toBe(0);
  });

  it('refuses an event larger than the record limit with a 413 naming the limit, and publishes nothing', async () => {
    const admin = testKafka().admin();
    await admin.connect();
    try {
      const end = async () =>
        (await admin.fetchTopicOffsets(p.topics.invocations)).reduce(
          (n, o) => n + Number(o.high),
          0,
        );
      const before = await end();
      const event = piiEvent({
        input_messages: [{ role: 'user', content: 'x'.repeat(RECORD_LIMITS.maxRecordBytes + 1) }],
      });
      const res = await p.post(key, event);
      expect(res.status).toBe(413);
      expect(res.json.error.code).toBe('event_too_large');
      expect(res.json.error.message).toContain(String(RECORD_LIMITS.maxRecordBytes));
      expect(await end()).toBe(before);
    } finally {
      await admin.disconnect();
    }
  });
});
