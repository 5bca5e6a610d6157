import { testEndpoints } from '@llmops/testing';
import {
  classifyClickHouseError,
  createClickHouseClient,
  sql,
  type ClickHouseClient,
  type ClickHouseOperationError,
} from '../src';
import { testDatabase } from './helpers';

async function failure(op: () => Promise<unknown>): Promise<ClickHouseOperationError> {
  try {
    await op();
  } catch (err) {
    return classifyClickHouseError(err, 'test');
  }
  throw new Error('expected the operation to fail');
}

describe('error classification against a real ClickHouse', () => {
  let client: ClickHouseClient;
  let database: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ client, database, cleanup } = testDatabase());
    await client.command({ query: sql`CREATE DATABASE ${sql.id(database)}`.text });
    await client.command({
      query: sql`CREATE TABLE ${sql.table(database, 't')} (d DateTime('UTC'), n UInt8) ENGINE = Log`
        .text,
    });
  });

  afterAll(async () => {
    await cleanup();
  });

  it('does not retry a syntax error', async () => {
    const err = await failure(() => client.query({ query: 'SELEC 1' }));
    expect(err).toMatchObject({
      retriable: false,
      kind: 'query',
      code: 62,
      codeName: 'SYNTAX_ERROR',
    });
  });

  it('does not retry a missing table, and says it is the schema', async () => {
    const err = await failure(() =>
      client.query({ query: sql`SELECT 1 FROM ${sql.table(database, 'nope')}`.text }),
    );
    expect(err).toMatchObject({ retriable: false, kind: 'schema', code: 60 });
  });

  it('does not retry data the column cannot parse', async () => {
    const err = await failure(() =>
      client.insert({
        table: sql.table(database, 't').text,
        format: 'JSONEachRow',
        values: [{ d: 'yesterday', n: 1 }],
      }),
    );
    expect(err).toMatchObject({ retriable: false, kind: 'data' });
  });

  it('does not retry an unknown setting', async () => {
    const err = await failure(() =>
      client.query({ query: 'SELECT 1', clickhouse_settings: { no_such_setting_xyz: 1 } }),
    );
    expect(err).toMatchObject({ retriable: false, kind: 'query', code: 115 });
  });

  it('retries when the server cannot be reached', async () => {
    const down = createClickHouseClient({ url: 'http://127.0.0.1:1' });
    try {
      const err = await failure(() => down.query({ query: 'SELECT 1' }));
      expect(err).toMatchObject({ retriable: true, kind: 'network' });
    } finally {
      await down.close();
    }
  });

  it('retries a request that timed out', async () => {
    const impatient = createClickHouseClient({
      url: testEndpoints().clickhouseUrl,
      requestTimeoutMs: 200,
    });
    try {
      const err = await failure(() => impatient.query({ query: 'SELECT sleep(2)' }));
      expect(err).toMatchObject({ retriable: true, kind: 'timeout' });
    } finally {
      await impatient.close();
    }
  });

  it('retries a query the server stopped at its time limit', async () => {
    const err = await failure(() =>
      client.query({
        query: 'SELECT count() FROM system.numbers',
        clickhouse_settings: { max_execution_time: 1 },
      }),
    );
    expect(err).toMatchObject({ retriable: true, kind: 'timeout', code: 159 });
  });
});
