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
    return await ensureTopics(
      admin,
      platformTopics(ctx.topics, {
        partitions: ctx.config.TOPIC_PARTITIONS,
        replicationFactor: ctx.config.TOPIC_REPLICATION_FACTOR,
        rawRetentionMs: ctx.config.RAW_RETENTION_MS,
      }),
    );
  } catch (err) {
    throw explainKafkaError(ctx, err);
  } finally {
    await admin.disconnect();
  }
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
