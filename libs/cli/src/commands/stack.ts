import { stackDown, stackStatus, stackUp } from '@llmops/stack';
import { UsageError } from '../args';
import type { CliContext } from '../context';

export const stackHelp = `llmops stack up|down|status
  up      start the local Kafka, ClickHouse and Redis (idempotent; first run downloads)
  down    stop what 'up' started (a Redis it found running is left alone)
  status  show each server, its endpoint and pid`;

export async function stackCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const [sub] = argv;
  switch (sub) {
    case 'up': {
      const e = await stackUp(ctx.stack);
      ctx.out(
        `Kafka       ${e.kafkaBrokers}\nClickHouse  ${e.clickhouseUrl}\nRedis       ${e.redisUrl}`,
      );
      return 0;
    }
    case 'down':
      await stackDown(ctx.stack);
      ctx.out('local stack stopped');
      return 0;
    case 'status': {
      const status = await stackStatus(ctx.stack);
      for (const s of status) {
        ctx.out(
          `${s.component.padEnd(11)} ${s.running ? 'running' : 'stopped'}  ${s.endpoint}${s.pid ? `  pid ${s.pid}` : ''}${s.detail ? `  (${s.detail})` : ''}`,
        );
      }
      return status.every((s) => s.running) ? 0 : 3;
    }
    default:
      throw new UsageError(
        `stack: expected up, down or status${sub ? `, got '${sub}'` : ''}\n${stackHelp}`,
      );
  }
}
