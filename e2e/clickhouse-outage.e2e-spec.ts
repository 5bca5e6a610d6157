import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dlqTopic } from '@llmops/contracts';
import { LocalClickHouse, ensureClickHouse, findFreePorts } from '@llmops/stack';
import { testEndpoints, testKafka } from '@llmops/testing';
import { Pipeline, piiEvent, repoRoot } from './pipeline-harness';

/** How long ClickHouse stays down while events keep coming. */
const OUTAGE_MS = 60_000;

/**
 * A ClickHouse of its own (own ports and data folder) so stopping it
 * disturbs no other test. While it is down the ingress keeps accepting (the
 * analytics sink is not on its path), the sink pauses on the transient fault
 * and dead-letters nothing; once it is back every accepted event is stored
 * exactly once.
 */
describe('ClickHouse stopped for a minute under load', () => {
  let clickhouse: LocalClickHouse;
  let p: Pipeline;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmops-ch-outage-'));
    const [httpPort, tcpPort] = await findFreePorts(2);
    clickhouse = new LocalClickHouse({
      dir,
      httpPort: httpPort!,
      tcpPort: tcpPort!,
      configTemplate: path.join(repoRoot, 'deploy/local/clickhouse/config.xml'),
      usersConfig: path.join(repoRoot, 'deploy/local/clickhouse/users.xml'),
    });
    await clickhouse.start(() =>
      ensureClickHouse({
        clickhouseDir: path.join(repoRoot, '.cache/clickhouse'),
        install: true,
        log: () => undefined,
      }),
    );
    p = await new Pipeline({
      kafkaBrokers: testEndpoints().kafkaBrokers,
      clickhouseUrl: clickhouse.url,
    }).start();
  });

  afterAll(async () => {
    await p?.stop();
    await clickhouse?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('accepts events throughout, pauses the sink, dead-letters nothing, and stores every event once it is back', async () => {
    const key = await p.key('acme');
    const accepted: string[] = [];
    const post = async () => {
      const events = Array.from({ length: 20 }, () => piiEvent());
      const res = await p.post(key, events);
      expect(res.status).toBe(202);
      accepted.push(...events.map((e) => e.event_id as string));
    };
    for (let i = 0; i < 5; i++) await post();
    await p.waitForRows(accepted.length);

    await clickhouse.stop();
    const downAt = Date.now();
    // Sustained load during the outage: a batch of 20 events at a time, until the minute is over.
    while (Date.now() - downAt < OUTAGE_MS) {
      await post();
      await new Promise((r) => setTimeout(r, 250));
    }
    const restartAt = Date.now();
    await clickhouse.start(() =>
      ensureClickHouse({
        clickhouseDir: path.join(repoRoot, '.cache/clickhouse'),
        install: false,
        log: () => undefined,
      }),
    );
    await p.waitForRows(accepted.length, 180_000);
    const recoveredMs = Date.now() - restartAt;
    process.stdout.write(
      `clickhouse outage: ${accepted.length} events accepted, ${accepted.length - 100} of them during ${OUTAGE_MS / 1000} s down; all stored ${recoveredMs} ms after the restart\n`,
    );

    const [stats] = await p.rows<{ n: number; ids: number }>(
      'SELECT count() AS n, uniqExact(event_id) AS ids FROM {db}.invocations FINAL',
    );
    expect(stats).toEqual({ n: accepted.length, ids: accepted.length });
    const admin = testKafka().admin();
    await admin.connect();
    const dlq = await admin.fetchTopicOffsets(dlqTopic(p.topics.invocationsRedacted));
    await admin.disconnect();
    expect(dlq.reduce((n, o) => n + Number(o.high), 0)).toBe(0);
  });
});
