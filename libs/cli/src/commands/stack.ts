import { stackDown, stackStatus, stackUp, type StackOptions } from '@llmops/stack';
import { parse, UsageError } from '../args';
import type { CliContext } from '../context';

export const stackHelp = `llmops stack up|down|status [--kafka-brokers N]
  up      start the local Kafka, ClickHouse and Redis (idempotent; first run downloads)
  down    stop what 'up' started, every Kafka broker included (a Redis it found running is left alone)
  status  show each server (each Kafka broker), its endpoint and pid
  --kafka-brokers N  Kafka as a KRaft cluster of N brokers on 9092, 9094, … (topics: 3 replicas,
                     2 in sync); default 1, or LLMOPS_STACK_KAFKA_BROKERS`;

export async function stackCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const { values, positionals } = parse('stack', argv, { 'kafka-brokers': { type: 'string' } });
  const [sub, extra] = positionals;
  if (extra !== undefined) throw new UsageError(`stack: unexpected '${extra}'\n${stackHelp}`);
  const options = withBrokerCount(ctx.stack, values['kafka-brokers']);
  switch (sub) {
    case 'up': {
      const e = await stackUp(options);
      ctx.out(
        `Kafka       ${e.kafkaBrokers}\nClickHouse  ${e.clickhouseUrl}\nRedis       ${e.redisUrl}`,
      );
      return 0;
    }
    case 'down':
      await stackDown(options);
      ctx.out('local stack stopped');
      return 0;
    case 'status': {
      const status = await stackStatus(options);
      for (const s of status) {
        const name = s.node === undefined ? s.component : `${s.component}-${s.node}`;
        ctx.out(
          `${name.padEnd(11)} ${s.running ? 'running' : 'stopped'}  ${s.endpoint}${s.pid ? `  pid ${s.pid}` : ''}${s.detail ? `  (${s.detail})` : ''}`,
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

function withBrokerCount(stack: StackOptions, flag: string | boolean | undefined): StackOptions {
  if (flag === undefined) return stack;
  if (typeof flag !== 'string' || !/^[1-9]$/.test(flag.trim())) {
    throw new UsageError(
      `stack: --kafka-brokers must be a whole number from 1 to 9, e.g. 3 (got '${String(flag)}')`,
    );
  }
  return { ...stack, kafkaBrokerCount: Number(flag.trim()) };
}
