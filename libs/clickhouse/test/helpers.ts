import { testEndpoints, uniqueIdentifier } from '@llmops/testing';
import * as path from 'node:path';
import { createClickHouseClient, sql, type ClickHouseClient } from '../src';

export const MIGRATIONS_DIR = path.resolve(__dirname, '../../../deploy/clickhouse/migrations');
export const QUERIES_DIR = path.resolve(__dirname, '../../../deploy/clickhouse/queries');

/** A client for the test server and a fresh database name, dropped by `cleanup`. */
export function testDatabase(): {
  client: ClickHouseClient;
  database: string;
  cleanup: () => Promise<void>;
} {
  const client = createClickHouseClient({ url: testEndpoints().clickhouseUrl });
  const database = uniqueIdentifier('t');
  return {
    client,
    database,
    cleanup: async () => {
      try {
        await client.command({ query: sql`DROP DATABASE IF EXISTS ${sql.id(database)}`.text });
      } finally {
        await client.close();
      }
    },
  };
}

export async function rows<T>(client: ClickHouseClient, query: string): Promise<T[]> {
  const result = await client.query({
    query,
    format: 'JSONEachRow',
    clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
  });
  return result.json<T>();
}
