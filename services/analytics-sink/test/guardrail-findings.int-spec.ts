import { guardrailFindingCodec, type GuardrailFinding } from '@llmops/contracts';
import {
  createClickHouseClient,
  migrate,
  runSavedQuery,
  sql,
  type ClickHouseClient,
} from '@llmops/clickhouse';
import { createKafka } from '@llmops/kafka';
import { createLogger } from '@llmops/observability';
import {
  createPlatformTopics,
  testEndpoints,
  uniqueIdentifier,
  uniqueName,
  waitFor,
} from '@llmops/testing';
import * as path from 'node:path';
import { loadSinkConfig, startAnalyticsSink } from '../src';
import { guardrailFinding } from '../src/guardrail-findings/finding-fixtures';
import { GuardrailFindingWriter } from '../src/guardrail-findings/finding-writer';

const MIGRATIONS_DIR = path.resolve(__dirname, '../../../deploy/clickhouse/migrations');
const QUERIES_DIR = path.resolve(__dirname, '../../../deploy/clickhouse/queries');
const RANGE = { from: '2025-03-01', to: '2025-03-31' };
const DAY1 = Date.UTC(2025, 2, 14, 9, 0, 0, 123);
const silent = createLogger('test', { level: 'silent' });

/** Two invocations of tenant-a (one with two findings), one of tenant-b, over two days. */
function batch(): GuardrailFinding[] {
  const first = guardrailFinding({ time_ms: DAY1 });
  return [
    first,
    guardrailFinding({
      event_id: first.event_id,
      time_ms: DAY1,
      stage: 'tool_call',
      rule_id: 'agent-tools',
      rule_revision: 1,
      tool_name: 'drop_db',
      detail: 'tool_calls[0]: tool drop_db is not allowed',
    }),
    guardrailFinding({
      time_ms: DAY1 + 86_400_000,
      mode: 'enforce',
      source: 'gateway',
      outcome: 'error_blocked',
      detail: null,
    }),
    guardrailFinding({ tenant_id: 'tenant-b', time_ms: DAY1 }),
  ];
}

describe('guardrail findings in a real ClickHouse', () => {
  let client: ClickHouseClient;
  let database: string;

  const rows = async (final: boolean) => {
    const result = await client.query({
      query: `SELECT * FROM ${sql.table(database, 'guardrail_findings').text}${final ? ' FINAL' : ''} ORDER BY finding_id`,
      format: 'JSONEachRow',
    });
    return result.json<Record<string, unknown>>();
  };
  const byRule = (tenant: string) =>
    runSavedQuery<Record<string, unknown>>(
      client,
      'guardrail_findings_by_rule',
      { tenant, ...RANGE },
      { queriesDir: QUERIES_DIR, database },
    );

  beforeEach(async () => {
    client = createClickHouseClient({ url: testEndpoints().clickhouseUrl });
    database = uniqueIdentifier('t');
    await migrate(client, { database, migrationsDir: MIGRATIONS_DIR });
  });

  afterEach(async () => {
    await client.command({ query: sql`DROP DATABASE IF EXISTS ${sql.id(database)}`.text });
    await client.close();
  });

  it('stores each finding as a row that reads back as the finding', async () => {
    const [f] = batch();
    await new GuardrailFindingWriter(client, { database }).write([f!]);
    const [row] = await rows(true);
    expect(row).toMatchObject({
      finding_id: f!.finding_id,
      event_id: f!.event_id,
      tenant_id: 'tenant-a',
      time: '2025-03-14 09:00:00',
      rule_id: 'prompt-injection',
      rule_revision: 2,
      stage: 'input',
      action: 'block',
      severity: 'high',
      outcome: 'violated',
      mode: 'detect',
      source: 'event_api',
      detail: 'phrases[0] found in messages[1]',
      duration_us: '14',
      tool_name: '',
      endpoint_kind: 'external',
    });
    expect(Number(row!.time_ms)).toBe(DAY1);
    expect(row!.inserted_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });

  it('collapses a batch written twice on finding_id, so the saved query counts each finding once', async () => {
    const writer = new GuardrailFindingWriter(client, { database });
    const findings = batch();
    await writer.write(findings);
    const once = await byRule('tenant-a');
    await writer.write(findings);
    expect(await rows(false)).toHaveLength(2 * findings.length); // the copies are there …
    expect(await rows(true)).toHaveLength(findings.length); // … and FINAL collapses them
    expect(await byRule('tenant-a')).toEqual(once);
    expect(once).toEqual([
      expect.objectContaining({
        day: '2025-03-14',
        rule_id: 'agent-tools',
        stage: 'tool_call',
        mode: 'detect',
        findings: 1,
        invocations: 1,
      }),
      expect.objectContaining({
        day: '2025-03-14',
        rule_id: 'prompt-injection',
        stage: 'input',
        mode: 'detect',
        severity: 'high',
        findings: 1,
        violated: 1,
      }),
      expect.objectContaining({
        day: '2025-03-15',
        rule_id: 'prompt-injection',
        mode: 'enforce',
        findings: 1,
        violated: 0,
        error_blocked: 1,
      }),
    ]);
    expect(await byRule('tenant-b')).toEqual([expect.objectContaining({ findings: 1 })]);
  });

  it('takes findings from their topic into ClickHouse through the sink service', async () => {
    const kafka = createKafka({
      brokers: testEndpoints().kafkaBrokers.split(','),
      clientId: 'sink-findings-test',
      logger: silent,
    });
    const { prefix, topics } = await createPlatformTopics(kafka);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const findingsGroup = uniqueName('sink-findings');
    const sink = await startAnalyticsSink(
      loadSinkConfig({
        KAFKA_BROKERS: testEndpoints().kafkaBrokers,
        CLICKHOUSE_URL: testEndpoints().clickhouseUrl,
        CLICKHOUSE_DATABASE: database,
        TOPIC_PREFIX: prefix,
        SINK_GROUP_ID: uniqueName('sink'),
        SINK_GUARDRAIL_FINDINGS_GROUP_ID: findingsGroup,
        SINK_BATCH_MAX_WAIT_MS: '100',
        LOG_LEVEL: 'silent',
      }),
      silent,
    );
    try {
      const findings = batch();
      // Twice, as a redelivering monitor would write them.
      for (let i = 0; i < 2; i++) {
        await producer.send({
          topic: topics.guardrailFindings,
          acks: -1,
          messages: findings.map((f) => ({
            key: `${f.tenant_id}/${f.event_id}`,
            value: guardrailFindingCodec.encode(f),
          })),
        });
      }
      // Caught up: the sink committed both copies, so ClickHouse accepted both inserts.
      const admin = kafka.admin();
      await admin.connect();
      try {
        await waitFor('the sink to commit the whole findings topic', async () => {
          const ends = await admin.fetchTopicOffsets(topics.guardrailFindings);
          const [committed] = await admin.fetchOffsets({
            groupId: findingsGroup,
            topics: [topics.guardrailFindings],
          });
          return ends.every(
            (end) =>
              end.high === '0' ||
              committed!.partitions.find((c) => c.partition === end.partition)?.offset === end.high,
          );
        });
      } finally {
        await admin.disconnect();
      }
      expect((await rows(true)).map((r) => r.finding_id)).toEqual(
        findings.map((f) => f.finding_id).sort(),
      );
    } finally {
      await sink.close();
      await producer.disconnect();
    }
  });
});
