import { dlqTopic, piiFindingCodec, securityEventCodec } from '@llmops/contracts';
import { DlqHeaders } from '@llmops/kafka';
import { readMessages, testEndpoints, testKafka, waitFor } from '@llmops/testing';
import { Pipeline, piiEvent } from './pipeline-harness';

describe('the pipeline, ingress to ClickHouse', () => {
  let p: Pipeline;
  let key: string;

  beforeAll(async () => {
    const e = testEndpoints();
    p = await new Pipeline({
      kafkaBrokers: e.kafkaBrokers,
      clickhouseUrl: e.clickhouseUrl,
    }).start();
    key = await p.key('acme');
  });
  afterAll(() => p.stop());

  it('stores 1,000 events posted in batches exactly once, redacted, with their findings on the findings topic', async () => {
    const events = Array.from({ length: 1_000 }, () => piiEvent());
    for (let i = 0; i < events.length; i += 100) {
      const res = await p.post(key, events.slice(i, i + 100));
      expect(res.status).toBe(202);
      expect(res.json.accepted).toBe(100);
    }
    await p.waitForRows(1_000);

    const [stats] = await p.rows<{
      n: number;
      ids: number;
      raw: number;
      placeholders: number;
      tokens: number;
    }>(`
      SELECT count() AS n, uniqExact(event_id) AS ids,
             countIf(position(input_messages_json, '@example.com') > 0 OR position(input_messages_json, '7946') > 0) AS raw,
             countIf(pii_finding_count >= 2) AS placeholders,
             sum(input_tokens) AS tokens
      FROM {db}.invocations FINAL`);
    expect(stats).toEqual({
      n: 1_000,
      ids: 1_000,
      raw: 0,
      placeholders: 1_000,
      tokens: events.reduce((s, e) => s + (e.usage as { input_tokens: number }).input_tokens, 0),
    });
    const ids = new Set(
      (await p.rows<{ event_id: string }>('SELECT event_id FROM {db}.invocations FINAL')).map(
        (r) => r.event_id,
      ),
    );
    expect(events.every((e) => ids.has(e.event_id as string))).toBe(true);

    const [sample] = await p.rows<{ input_messages_json: string; pii_types: string[] }>(
      `SELECT input_messages_json, pii_types FROM {db}.invocations FINAL WHERE event_id = '${events[0]!.event_id as string}'`,
    );
    expect(sample!.input_messages_json).toContain('<EMAIL_1>');
    expect(sample!.pii_types).toEqual(expect.arrayContaining(['EMAIL', 'PHONE']));

    const findings = (await readMessages(testKafka(), p.topics.piiFindings, 2_000)).map((m) =>
      piiFindingCodec.decode(m.value!),
    );
    const emailFindings = findings.filter((f) => f.type === 'EMAIL');
    expect(new Set(emailFindings.map((f) => f.event_id)).size).toBe(1_000);
    for (const f of findings) {
      expect(f.value_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(f)).not.toContain('@example.com');
    }
  });

  it('answers the documented usage query without duplicates', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const rows = await p.saved<{ requests: number }>('usage_by_day', {
      tenant: 'acme',
      from: '2000-01-01',
      to: today,
    });
    expect(rows.reduce((s, r) => s + Number(r.requests), 0)).toBe(1_000);
    const other = await p.saved('usage_by_day', {
      tenant: 'someone-else',
      from: '2000-01-01',
      to: today,
    });
    expect(other).toEqual([]);
  });

  it('dead-letters a malformed message on the raw topic and keeps every partition flowing', async () => {
    const producer = testKafka().producer();
    await producer.connect();
    // One garbage record on each partition, ahead of the events that follow.
    await producer.send({
      topic: p.topics.invocations,
      messages: [0, 1, 2].map((partition) => ({ partition, key: 'junk', value: '{"not":"avro"}' })),
    });
    await producer.disconnect();
    const events = Array.from({ length: 30 }, () => piiEvent());
    expect((await p.post(key, events)).status).toBe(202);
    await p.waitForRows(1_030);
    const dead = await readMessages(testKafka(), dlqTopic(p.topics.invocations), 3);
    expect(dead.map((d) => d.headers[DlqHeaders.error])).toEqual(
      Array(3).fill(expect.stringMatching(/bad or missing C3 01 header/)),
    );
  });

  it('reports PII sent to an external endpoint to the SOC once per invocation, and nothing for internal endpoints', async () => {
    const trace = 'ab'.repeat(16);
    const internal = piiEvent({
      trace_id: trace,
      endpoint: { host: 'llm.internal', kind: 'internal' },
      input_messages: [{ role: 'user', content: 'key AKIAIOSFODNN7EXAMPLE for ops@example.com' }],
    });
    const external = piiEvent({
      trace_id: trace,
      endpoint: { host: 'api.openai.com', kind: 'external' },
      input_messages: [
        { role: 'user', content: 'use AKIAIOSFODNN7EXAMPLE and mail ops@example.com' },
      ],
    });
    // Plain PII events of this test's own, to an external endpoint too: one exposure each.
    const others = Array.from({ length: 20 }, () => piiEvent());
    // Same trace: same raw partition, so the scanner sees the internal one first.
    expect((await p.post(key, [internal, external, ...others])).status).toBe(202);
    const ours = new Set([external, ...others].map((e) => e.event_id as string));
    // Read the whole topic once every exposure of ours is on it: at-least-once delivery may
    // repeat an exposure (with the same stable id), so a fixed count could stop short.
    const events = await waitFor("this test's exposures on the security topic", async () => {
      const admin = testKafka().admin();
      await admin.connect();
      const size = (await admin.fetchTopicOffsets(p.topics.securityEvents)).reduce(
        (n, o) => n + Number(o.high),
        0,
      );
      await admin.disconnect();
      const all = (await readMessages(testKafka(), p.topics.securityEvents, size)).map((m) =>
        securityEventCodec.decode(m.value!),
      );
      const mine = all.filter((e) => e.invocation_id !== null && ours.has(e.invocation_id));
      return new Set(mine.map((e) => e.invocation_id)).size === ours.size ? all : undefined;
    });
    expect(events.some((e) => e.invocation_id === internal.event_id)).toBe(false);
    const exposure = events.find((e) => e.invocation_id === external.event_id)!;
    expect(exposure).toMatchObject({
      category: 'sensitive_data_exposure',
      severity: 'critical',
      outcome: 'allowed',
      tenant_id: 'acme',
      reporter: 'pii-scanner',
      target: {
        provider: 'openai',
        model: 'gpt-4o',
        endpoint_kind: 'external',
        endpoint_host: 'api.openai.com',
      },
      sensitive_data: {
        classes: ['pii', 'secret'],
        entity_types: ['AWS_ACCESS_KEY', 'EMAIL'],
        finding_count: 2,
      },
    });
    expect(JSON.stringify(exposure)).not.toMatch(/AKIAIOSFODNN7EXAMPLE|ops@example\.com/);
    // Once per invocation: a repeat carries the same stable id, never a second event.
    for (const id of ours) {
      const of = events.filter((e) => e.invocation_id === id);
      expect(new Set(of.map((e) => e.event_id)).size).toBe(1);
    }
    const plain = events.filter(
      (e) =>
        e.invocation_id !== null &&
        ours.has(e.invocation_id) &&
        e.invocation_id !== external.event_id,
    );
    expect(plain.every((e) => e.severity === 'medium')).toBe(true);
  });
});
