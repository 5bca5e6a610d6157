import { Writable } from 'node:stream';
import type { INestApplicationContext } from '@nestjs/common';
import { dlqTopic } from '@llmops/contracts';
import { createLogger } from '@llmops/observability';
import { testEndpoints, testKafka, waitFor } from '@llmops/testing';
import { loadSinkConfig, startAnalyticsSink } from '../services/analytics-sink/src';
import { Pipeline, piiEvent } from './pipeline-harness';

/** A logger whose JSON lines the test can read. */
function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) {
        if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { lines, logger: createLogger('analytics-sink', { level: 'info', destination }) };
}

/**
 * A deployment fault (here: the invocations table renamed away, as a
 * migration gone wrong would) pauses the analytics sink instead of
 * dead-lettering good data; it says what to fix, and once the table is back
 * every event arrives, exactly once, with nothing in the DLQ.
 */
describe('a deployment fault under the analytics sink', () => {
  let p: Pipeline;
  let sink: INestApplicationContext;
  let key: string;
  const { lines, logger } = capturingLogger();

  beforeAll(async () => {
    const e = testEndpoints();
    p = await new Pipeline({
      kafkaBrokers: e.kafkaBrokers,
      clickhouseUrl: e.clickhouseUrl,
      withSink: false,
    }).start();
    sink = await startAnalyticsSink(loadSinkConfig({ ...p.env(), LOG_LEVEL: 'info' }), logger);
    key = await p.key('acme');
  });
  afterAll(async () => {
    await sink?.close();
    await p?.stop();
  });

  async function dlqRecords(): Promise<number> {
    const admin = testKafka().admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(dlqTopic(p.topics.invocationsRedacted));
      return offsets.reduce((n, o) => n + Number(o.high), 0);
    } finally {
      await admin.disconnect();
    }
  }

  it('pauses while the table is missing, dead-letters nothing, and stores every event once it is back', async () => {
    const first = Array.from({ length: 20 }, () => piiEvent());
    expect((await p.post(key, first)).status).toBe(202);
    await p.waitForRows(20);

    await p.clickhouse.command({
      query: `RENAME TABLE ${p.database}.invocations TO ${p.database}.invocations_away`,
    });
    const during = Array.from({ length: 30 }, () => piiEvent());
    expect((await p.post(key, during)).status).toBe(202);

    const paused = await waitFor('the sink to report the deployment fault', () =>
      lines.find((l) => l.fault === 'deployment' && l.level === 50),
    );
    expect(String(paused.fix)).toMatch(/llmops migrate/);
    expect(String(paused.msg)).toMatch(/nothing is dead-lettered/);
    // Keep failing for a while: far more tries than CONSUMER_MAX_RETRIES (5).
    await waitFor(
      'seven failed tries on the missing table',
      () => lines.filter((l) => l.fault === 'deployment').length >= 7,
      { timeoutMs: 120_000 },
    );
    expect(await dlqRecords()).toBe(0);

    await p.clickhouse.command({
      query: `RENAME TABLE ${p.database}.invocations_away TO ${p.database}.invocations`,
    });
    const fixedAt = Date.now();
    await p.waitForRows(50);
    process.stdout.write(
      `deployment fault: the 30 events that waited were stored ${Date.now() - fixedAt} ms after the table was back\n`,
    );
    const [stats] = await p.rows<{ n: number; ids: number }>(
      'SELECT count() AS n, uniqExact(event_id) AS ids FROM {db}.invocations FINAL',
    );
    expect(stats).toEqual({ n: 50, ids: 50 });
    await waitFor('the sink to say it consumes again', () =>
      lines.find((l) => l.msg === 'fault cleared; consuming again'),
    );
    expect(await dlqRecords()).toBe(0);
  });
});
