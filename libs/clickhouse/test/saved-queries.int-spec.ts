import { listSavedQueries, migrate, runSavedQuery, sql, type ClickHouseClient } from '../src';
import { MIGRATIONS_DIR, QUERIES_DIR, testDatabase } from './helpers';

const RANGE = { from: '2025-03-01', to: '2025-03-31' };

function paramsFor(name: string, tenant: string): Record<string, string> {
  return name === 'invocation_by_event_id' ? { tenant, event_id: 'e-1' } : { tenant, ...RANGE };
}

describe('saved queries against a real ClickHouse', () => {
  let client: ClickHouseClient;
  let database: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ client, database, cleanup } = testDatabase());
    await migrate(client, { database, migrationsDir: MIGRATIONS_DIR });
    // Minimal rows: every other column takes its type's default.
    await client.insert({
      table: sql.table(database, 'invocations').text,
      format: 'JSONEachRow',
      columns: [
        'event_id',
        'tenant_id',
        'app_id',
        'request_model',
        'start_time',
        'status',
        'pii_types',
        'duration_ms',
      ],
      values: [
        {
          event_id: 'e-1',
          tenant_id: 'a',
          app_id: 'app',
          request_model: 'm',
          start_time: '2025-03-02 10:00:00',
          status: 'error',
          pii_types: ['EMAIL'],
          duration_ms: 100,
        },
        {
          event_id: 'e-2',
          tenant_id: 'a',
          app_id: 'app',
          request_model: 'm',
          start_time: '2025-03-02 11:00:00',
          status: 'ok',
          pii_types: [],
          duration_ms: null,
        },
        {
          event_id: 'e-3',
          tenant_id: "b'; --",
          app_id: 'app',
          request_model: 'm',
          start_time: '2025-03-02 12:00:00',
          status: 'ok',
          pii_types: ['EMAIL'],
          duration_ms: 5,
        },
      ],
    });
    await client.insert({
      table: sql.table(database, 'guardrail_findings').text,
      format: 'JSONEachRow',
      columns: ['finding_id', 'event_id', 'tenant_id', 'time', 'rule_id', 'stage', 'outcome'],
      values: [
        {
          finding_id: 'f-1',
          event_id: 'e-1',
          tenant_id: 'a',
          time: '2025-03-02 10:00:00',
          rule_id: 'r',
          stage: 'input',
          outcome: 'violated',
        },
        {
          finding_id: 'f-3',
          event_id: 'e-3',
          tenant_id: "b'; --",
          time: '2025-03-02 12:00:00',
          rule_id: 'r',
          stage: 'input',
          outcome: 'violated',
        },
      ],
    });
  });

  afterAll(async () => {
    await cleanup();
  });

  it('runs every saved query and returns only the given tenant', async () => {
    for (const name of await listSavedQueries(QUERIES_DIR)) {
      const forA = await runSavedQuery(client, name, paramsFor(name, 'a'), {
        queriesDir: QUERIES_DIR,
        database,
      });
      const forB = await runSavedQuery(client, name, paramsFor(name, "b'; --"), {
        queriesDir: QUERIES_DIR,
        database,
      });
      const forNobody = await runSavedQuery(client, name, paramsFor(name, "a' OR '1'='1"), {
        queriesDir: QUERIES_DIR,
        database,
      });
      expect({ name, rows: forA.length > 0 }).toEqual({ name, rows: true });
      expect({ name, nobody: forNobody }).toEqual({ name, nobody: [] });
      if (name === 'invocation_by_event_id') {
        expect(forB).toEqual([]); // e-1 belongs to tenant a
      }
    }
  });

  it('computes usage, error rate, latency and PII counts for one tenant', async () => {
    const opts = { queriesDir: QUERIES_DIR, database };
    expect(await runSavedQuery(client, 'usage_by_day', { tenant: 'a', ...RANGE }, opts)).toEqual([
      {
        day: '2025-03-02',
        app_id: 'app',
        provider_name: '',
        request_model: 'm',
        requests: 2,
        input_tokens: 0,
        output_tokens: 0,
        cached_input_tokens: 0,
        reasoning_tokens: 0,
      },
    ]);
    expect(
      await runSavedQuery(client, 'error_rate_by_day', { tenant: 'a', ...RANGE }, opts),
    ).toEqual([
      {
        day: '2025-03-02',
        app_id: 'app',
        request_model: 'm',
        requests: 2,
        errors: 1,
        error_rate: 0.5,
      },
    ]);
    const [latency] = await runSavedQuery(
      client,
      'latency_by_day',
      { tenant: 'a', ...RANGE },
      opts,
    );
    expect(latency).toMatchObject({
      requests: 2,
      with_duration: 1,
      duration_p50_ms: 100,
      with_ttft: 0,
      ttft_p50_ms: null,
    });
    expect(
      await runSavedQuery(client, 'pii_findings_by_type', { tenant: 'a', ...RANGE }, opts),
    ).toEqual([
      {
        day: '2025-03-02',
        pii_type: 'EMAIL',
        invocations: 1,
        external_invocations: 0,
        findings_in_those_invocations: 0,
      },
    ]);
  });

  it('leaves out days outside the range', async () => {
    const rows = await runSavedQuery(
      client,
      'usage_by_day',
      { tenant: 'a', from: '2025-03-03', to: '2025-03-31' },
      { queriesDir: QUERIES_DIR, database },
    );
    expect(rows).toEqual([]);
  });
});
