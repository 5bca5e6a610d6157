import * as path from 'node:path';
import { testEndpoints, testKafka, waitFor } from '@llmops/testing';
import { Pipeline, piiEvent, repoRoot } from './pipeline-harness';
import { exitWithin, runNode } from './processes';

function startService(name: string, env: Record<string, string>) {
  return runNode(path.join(repoRoot, 'services', name, 'dist', 'main.js'), env);
}

describe('clean shutdown', () => {
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

  it('the analytics sink process exits 0 on SIGTERM with its offsets committed', async () => {
    const key = await p.key('acme');
    expect(
      (
        await p.post(
          key,
          Array.from({ length: 50 }, () => piiEvent()),
        )
      ).status,
    ).toBe(202);
    const sink = startService('analytics-sink', p.env());
    await p.waitForRows(50);

    sink.child.kill('SIGTERM');
    expect(await exitWithin(sink, 60_000, 'the analytics sink after SIGTERM')).toEqual({
      code: 0,
      signal: null,
    });

    const admin = testKafka().admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(p.topics.invocationsRedacted);
      const [committed] = await admin.fetchOffsets({
        groupId: p.sinkGroup,
        topics: [p.topics.invocationsRedacted],
      });
      const byPartition = new Map(committed!.partitions.map((c) => [c.partition, c.offset]));
      for (const end of ends)
        expect(byPartition.get(end.partition) ?? '-1').toBe(end.high === '0' ? '-1' : end.high);
    } finally {
      await admin.disconnect();
    }
  });

  it('the ingress process exits 0 on SIGTERM', async () => {
    const ingress = startService('ingress', { ...p.env(), INGRESS_PORT: '0', LOG_LEVEL: 'info' });
    await waitFor('the ingress process to listen', () =>
      ingress.output().includes('ingress listening'),
    );
    ingress.child.kill('SIGTERM');
    expect(await exitWithin(ingress, 60_000, 'the ingress after SIGTERM')).toEqual({
      code: 0,
      signal: null,
    });
  });
});
