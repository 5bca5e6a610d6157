import * as path from 'node:path';
import { testEndpoints } from '@llmops/testing';
import { Pipeline, piiEvent } from './pipeline-harness';
import { exitWithin, runNode } from './processes';

describe('analytics sink redelivery', () => {
  let p: Pipeline;

  beforeAll(async () => {
    const e = testEndpoints();
    p = await new Pipeline({
      kafkaBrokers: e.kafkaBrokers,
      clickhouseUrl: e.clickhouseUrl,
      withSink: false,
    }).start();
  });
  afterAll(() => p.stop());

  it('shows no duplicates after the sink is killed between insert and commit and restarted', async () => {
    const key = await p.key('acme');
    const events = Array.from({ length: 200 }, () => piiEvent());
    expect((await p.post(key, events)).status).toBe(202);

    // The real sink, killed with SIGKILL right after its first insert, before it could commit.
    const crashing = runNode(path.join(__dirname, 'fixtures/sink-killed-after-insert.js'), p.env());
    const crashed = await exitWithin(crashing, 120_000, 'the sink fixture');
    expect(crashed.signal).toBe('SIGKILL');
    const inserted = Number(/inserted (\d+)/.exec(crashing.output())?.[1]);
    expect(inserted).toBeGreaterThan(0);
    const [before] = await p.rows<{ n: number }>('SELECT count() AS n FROM {db}.invocations');
    expect(before!.n).toBe(inserted);

    // Same consumer group: nothing was committed, so the restarted sink gets the batch again.
    await p.startSink();
    await p.waitForRows(200);
    const [after] = await p.rows<{ final: number; ids: number }>(
      'SELECT count() AS final, uniqExact(event_id) AS ids FROM {db}.invocations FINAL',
    );
    expect(after).toEqual({ final: 200, ids: 200 });
    const [raw] = await p.rows<{ n: number }>('SELECT count() AS n FROM {db}.invocations');
    // The redelivered copies were inserted again (a background merge may already have collapsed some).
    expect(raw!.n).toBeGreaterThanOrEqual(200);
    expect(raw!.n).toBeLessThanOrEqual(200 + inserted);

    const today = new Date().toISOString().slice(0, 10);
    const usage = await p.saved<{ requests: number }>('usage_by_day', {
      tenant: 'acme',
      from: '2000-01-01',
      to: today,
    });
    expect(usage.reduce((s, r) => s + Number(r.requests), 0)).toBe(200);
    const one = await p.saved('invocation_by_event_id', {
      tenant: 'acme',
      event_id: events[0]!.event_id as string,
    });
    expect(one).toHaveLength(1);
  });
});
