import type { Invocation } from '@llmops/contracts';
import {
  ClickHouseNonRetriableError,
  ClickHouseRetriableError,
  createClickHouseClient,
  listSavedQueries,
  migrate,
  runSavedQuery,
  sql,
  type ClickHouseClient,
} from '@llmops/clickhouse';
import { testEndpoints, uniqueIdentifier } from '@llmops/testing';
import * as path from 'node:path';
import { redactedInvocation } from '../src/invocations/invocation-fixtures';
import { InvocationWriter } from '../src/invocations/invocation-writer';

const MIGRATIONS_DIR = path.resolve(__dirname, '../../../deploy/clickhouse/migrations');
const QUERIES_DIR = path.resolve(__dirname, '../../../deploy/clickhouse/queries');
const RANGE = { from: '2025-03-01', to: '2025-03-31' };
const DAY1 = Date.UTC(2025, 2, 14, 9, 0, 0, 123);
const DAY2 = Date.UTC(2025, 2, 15, 23, 59, 59, 999);

/** A batch covering every saved query: two days, two apps, errors, PII, two tenants. */
function batch(): Invocation[] {
  return [
    redactedInvocation({
      start_time_ms: DAY1,
      usage: { input_tokens: 100, output_tokens: 10 },
      duration_ms: 100,
    }),
    redactedInvocation({
      start_time_ms: DAY1 + 1_000,
      usage: { input_tokens: 200, output_tokens: 20 },
      duration_ms: 300,
      status: 'error',
      error_type: 'rate_limited',
      redaction: { finding_count: 3, types: ['EMAIL', 'PHONE'], engine_version: 'pii-1' },
    }),
    redactedInvocation({
      app_id: 'search',
      request_model: 'claude-sonnet',
      provider_name: 'anthropic',
      start_time_ms: DAY2,
      endpoint: { kind: 'internal' },
      duration_ms: null,
      time_to_first_token_ms: null,
      redaction: { finding_count: 0, types: [], engine_version: 'pii-1' },
    }),
    redactedInvocation({ tenant_id: 'tenant-b', start_time_ms: DAY1 }),
  ];
}

describe('InvocationWriter against a real ClickHouse', () => {
  let client: ClickHouseClient;
  let database: string;
  let writer: InvocationWriter;

  const count = async (final: boolean) => {
    const result = await client.query({
      query: `SELECT count() AS n FROM ${sql.table(database, 'invocations').text}${final ? ' FINAL' : ''}`,
      format: 'JSONEachRow',
    });
    const [row] = await result.json<{ n: string }>();
    return Number(row!.n);
  };

  const everySavedQuery = async (tenant: string, eventId: string) => {
    const out: Record<string, unknown[]> = {};
    for (const name of await listSavedQueries(QUERIES_DIR)) {
      const params: Record<string, string> =
        name === 'invocation_by_event_id' ? { tenant, event_id: eventId } : { tenant, ...RANGE };
      const rows = await runSavedQuery<Record<string, unknown>>(client, name, params, {
        queriesDir: QUERIES_DIR,
        database,
      });
      // inserted_at is when the surviving copy was written: the only column allowed to move.
      out[name] = rows.map(({ inserted_at: _insertedAt, ...rest }) => rest);
    }
    return out;
  };

  beforeEach(async () => {
    client = createClickHouseClient({ url: testEndpoints().clickhouseUrl });
    database = uniqueIdentifier('t');
    await migrate(client, { database, migrationsDir: MIGRATIONS_DIR });
    writer = new InvocationWriter(client, { database });
  });

  afterEach(async () => {
    await client.command({ query: sql`DROP DATABASE IF EXISTS ${sql.id(database)}`.text });
    await client.close();
  });

  it('writes a batch whose rows read back as the invocations', async () => {
    const [inv] = batch();
    await writer.write([inv!]);

    const [row] = await runSavedQuery<Record<string, unknown>>(
      client,
      'invocation_by_event_id',
      { tenant: inv!.tenant_id, event_id: inv!.event_id },
      { queriesDir: QUERIES_DIR, database },
    );
    expect(row).toMatchObject({
      event_id: inv!.event_id,
      tenant_id: 'tenant-a',
      start_time: '2025-03-14 09:00:00',
      start_time_ms: DAY1,
      duration_ms: 100,
      time_to_first_token_ms: 210,
      request_max_tokens: 256,
      request_temperature: 0.2,
      request_top_p: null,
      label_keys: ['env', 'team'],
      label_values: ['prod', 'support'],
      finish_reasons: ['stop'],
      pii_types: ['EMAIL'],
      pii_finding_count: 2,
      system_instructions: 'You are a helpful assistant.',
    });
    expect(JSON.parse(row!.input_messages_json as string)).toEqual(inv!.input_messages);
    expect(JSON.parse(row!.tool_calls_json as string)).toEqual(inv!.tool_calls);
    expect(row!.inserted_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(row!.inserted_at).not.toBe('1970-01-01 00:00:00');
    expect(row!.inserted_at).not.toBe('0000-00-00 00:00:00');
  });

  it('shows no duplicates in any saved query after the same batch is written twice', async () => {
    const invocations = batch();
    await writer.write(invocations);
    const once = await everySavedQuery('tenant-a', invocations[1]!.event_id);

    await writer.write(invocations);
    expect(await count(false)).toBe(invocations.length * 2); // the copies really are there …
    expect(await count(true)).toBe(invocations.length); // … and FINAL collapses them
    const twice = await everySavedQuery('tenant-a', invocations[1]!.event_id);
    expect(twice).toEqual(once);

    // The numbers themselves, so "equal" cannot mean "equally wrong".
    expect(twice.usage_by_day).toEqual([
      expect.objectContaining({
        day: '2025-03-14',
        app_id: 'support-bot',
        requests: 2,
        input_tokens: 300,
        output_tokens: 30,
      }),
      expect.objectContaining({ day: '2025-03-15', app_id: 'search', requests: 1 }),
    ]);
    expect(twice.error_rate_by_day).toEqual([
      expect.objectContaining({ day: '2025-03-14', requests: 2, errors: 1, error_rate: 0.5 }),
      expect.objectContaining({ day: '2025-03-15', requests: 1, errors: 0, error_rate: 0 }),
    ]);
    expect(twice.latency_by_day).toEqual([
      expect.objectContaining({
        day: '2025-03-14',
        requests: 2,
        with_duration: 2,
        duration_p50_ms: 200,
      }),
      expect.objectContaining({
        day: '2025-03-15',
        requests: 1,
        with_duration: 0,
        duration_p50_ms: null,
      }),
    ]);
    expect(twice.pii_findings_by_type).toEqual([
      {
        day: '2025-03-14',
        pii_type: 'EMAIL',
        invocations: 2,
        external_invocations: 2,
        findings_in_those_invocations: 5,
      },
      {
        day: '2025-03-14',
        pii_type: 'PHONE',
        invocations: 1,
        external_invocations: 1,
        findings_in_those_invocations: 3,
      },
    ]);
    expect(twice.invocation_by_event_id).toHaveLength(1);

    // After the background merge the copies are gone from storage too.
    await client.command({
      query: `OPTIMIZE TABLE ${sql.table(database, 'invocations').text} FINAL`,
    });
    expect(await count(false)).toBe(invocations.length);
    expect(await everySavedQuery('tenant-a', invocations[1]!.event_id)).toEqual(once);
  });

  it('collapses an event redelivered inside a different batch', async () => {
    const [a, b, c] = batch();
    await writer.write([a!, b!]);
    await writer.write([b!, c!]);
    const usage = await runSavedQuery<{ requests: number }>(
      client,
      'usage_by_day',
      { tenant: 'tenant-a', ...RANGE },
      { queriesDir: QUERIES_DIR, database },
    );
    expect(usage.reduce((n, r) => n + r.requests, 0)).toBe(3);
  });

  it('keeps tenants apart in every saved query', async () => {
    const invocations = batch();
    await writer.write(invocations);
    const forB = await everySavedQuery('tenant-b', invocations[0]!.event_id);
    expect(forB.usage_by_day).toEqual([expect.objectContaining({ requests: 1 })]);
    expect(forB.invocation_by_event_id).toEqual([]); // tenant-a's event
  });

  it('stores nasty redacted text exactly', async () => {
    const text =
      "quote ' dquote \" backslash \\ nul \0 newline \n crlf \r\n tab \t emoji 😀 rtl שלום \u2028 '; DROP TABLE x; --";
    const inv = redactedInvocation({
      system_instructions: text,
      input_messages: [{ role: 'user', content: text, name: null, tool_call_id: null }],
      labels: { [text]: text },
      finish_reasons: [text],
    });
    await writer.write([inv]);
    const [row] = await runSavedQuery<Record<string, unknown>>(
      client,
      'invocation_by_event_id',
      { tenant: inv.tenant_id, event_id: inv.event_id },
      { queriesDir: QUERIES_DIR, database },
    );
    expect(row!.system_instructions).toBe(text);
    expect(JSON.parse(row!.input_messages_json as string)[0].content).toBe(text);
    expect(row!.label_keys).toEqual([text]);
    expect(row!.label_values).toEqual([text]);
    expect(row!.finish_reasons).toEqual([text]);
  });

  it('throws a retriable error when ClickHouse is unreachable', async () => {
    const down = createClickHouseClient({ url: 'http://127.0.0.1:1' });
    try {
      await expect(new InvocationWriter(down, { database }).write(batch())).rejects.toBeInstanceOf(
        ClickHouseRetriableError,
      );
    } finally {
      await down.close();
    }
  });

  it('throws a non-retriable schema error when the table is missing', async () => {
    const write = new InvocationWriter(client, { database, table: 'missing' }).write(batch());
    await expect(write).rejects.toBeInstanceOf(ClickHouseNonRetriableError);
    await expect(write).rejects.toMatchObject({ kind: 'schema' });
  });
});
