import { setTimeout as sleep } from 'node:timers/promises';
import { ensureTopics, platformTopics } from '@llmops/kafka';
import { UsageError } from '../args';
import { explainKafkaError, type CliContext } from '../context';

export const topicsHelp = `llmops topics ensure
  create every platform topic (and its DLQ) that does not exist yet, with TOPIC_REPLICATION_FACTOR
  replicas (unset: one per listed Kafka broker up to 3) and min.insync.replicas min(2, replicas)`;

/** Creates the missing platform topics; returns their names. */
export async function ensurePlatformTopics(ctx: CliContext): Promise<string[]> {
  const admin = ctx.kafka().admin();
  try {
    await admin.connect();
    const specs = platformTopics(ctx.topics, {
      partitions: ctx.config.TOPIC_PARTITIONS,
      replicationFactor: ctx.config.TOPIC_REPLICATION_FACTOR,
      rawRetentionMs: ctx.config.RAW_RETENTION_MS,
    });
    const before = new Set(await admin.listTopics());
    for (let attempt = 1; ; attempt++) {
      try {
        await ensureTopics(admin, specs);
        break;
      } catch (err) {
        if (attempt >= 5 || !isUnknownTopic(err)) throw err;
        await sleep(250 * attempt);
      }
    }
    return specs.map((s) => s.name).filter((name) => !before.has(name));
  } catch (err) {
    throw explainKafkaError(ctx, err);
  } finally {
    await admin.disconnect();
  }
}

/**
 * kafkajs's createTopics waits for the new topics' leaders by asking one broker, and gives up
 * when that broker has not heard of a topic yet, as happens on a cluster; ensureTopics is
 * idempotent, so asking again finishes the job.
 */
function isUnknownTopic(err: unknown): boolean {
  return (err as { type?: unknown } | null)?.type === 'UNKNOWN_TOPIC_OR_PARTITION';
}

export async function topicsCommand(ctx: CliContext, argv: string[]): Promise<number> {
  if (argv[0] !== 'ensure') throw new UsageError(`topics: expected 'ensure'\n${topicsHelp}`);
  const created = await ensurePlatformTopics(ctx);
  const rf = ctx.config.TOPIC_REPLICATION_FACTOR;
  ctx.out(
    created.length
      ? `created: ${created.join(', ')} (replication factor ${rf}, min.insync.replicas ${Math.min(2, rf)})`
      : 'all topics exist',
  );
  return 0;
}
