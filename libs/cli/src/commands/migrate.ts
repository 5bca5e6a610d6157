import * as path from 'node:path';
import { createClickHouseClient, migrate } from '@llmops/clickhouse';
import type { CliContext } from '../context';

export const migrateHelp = `llmops migrate
  apply the ClickHouse migrations in deploy/clickhouse/migrations (the analytics sink also does this at start)`;

export async function migrateCommand(ctx: CliContext): Promise<number> {
  const client = createClickHouseClient({ url: ctx.endpoints.clickhouseUrl });
  try {
    const result = await migrate(client, {
      database: ctx.config.CLICKHOUSE_DATABASE,
      migrationsDir: path.join(ctx.repoRoot, 'deploy/clickhouse/migrations'),
    });
    const applied = result.applied.map((m) => `${m.version}_${m.name}`);
    ctx.out(
      applied.length
        ? `applied: ${applied.join(', ')}`
        : `database ${ctx.config.CLICKHOUSE_DATABASE} is up to date`,
    );
    return 0;
  } finally {
    await client.close();
  }
}
