import { type Admin, type IHeaders, type Kafka, type Message } from 'kafkajs';
import { ReplayHeaders, originalHeaders } from './dlq';
import { formatAddress, type DeadLetterRecord } from './dlq-select';
import { readToEnd, type ReadToEndOptions } from './dlq-tools';
import { ensureTopics, type TopicSpec } from './topics';
import { ProducerSession } from './producer-session';

/** What the replay-marks topic holds per replayed dead letter (JSON, keyed by its address). */
export interface ReplayMark {
  v: 1;
  dlq: string;
  source_topic: string;
  source_partition: number;
  source_offset: string;
  failed_at_ms: number | null;
  replayed_at_ms: number;
}

/** The replay-marks topic: compacted, one partition, never deleted by age. */
export function replayMarksTopicSpec(name: string, replicationFactor: number): TopicSpec {
  return {
    name,
    partitions: 1,
    replicationFactor,
    config: {
      'cleanup.policy': 'compact',
      'min.insync.replicas': String(Math.min(2, replicationFactor)),
    },
  };
}

/**
 * Which dead letters were replayed, read whole from the compacted marks
 * topic. A mark counts only when it names the same source record, so a DLQ
 * topic deleted and created again (its offsets start over) is not mistaken
 * for one already replayed.
 */
export class ReplayMarks {
  private constructor(private readonly marks: Map<string, ReplayMark>) {}

  /** Loads the marks; none when the topic does not exist yet. */
  static async load(kafka: Kafka, topic: string, options?: ReadToEndOptions): Promise<ReplayMarks> {
    const marks = new Map<string, ReplayMark>();
    const admin = kafka.admin();
    await admin.connect();
    const exists = await admin
      .listTopics()
      .then((names) => names.includes(topic))
      .finally(() => admin.disconnect());
    if (exists) {
      await readToEnd(
        kafka,
        [topic],
        (_t, _p, message) => {
          const key = message.key?.toString();
          if (!key) return;
          if (!message.value) marks.delete(key);
          else {
            const mark = parseMark(message.value);
            // An unreadable mark is no mark: at worst that dead letter is replayed once more.
            if (mark) marks.set(key, mark);
            else marks.delete(key);
          }
        },
        options,
      );
    }
    return new ReplayMarks(marks);
  }

  /** When the dead letter was replayed, or undefined if it never was. */
  replayedAt(r: DeadLetterRecord): number | undefined {
    const m = this.marks.get(formatAddress(r.address));
    if (
      !m ||
      m.source_topic !== r.sourceTopic ||
      m.source_partition !== r.sourcePartition ||
      m.source_offset !== r.sourceOffset
    ) {
      return undefined;
    }
    return m.replayed_at_ms;
  }

  get size(): number {
    return this.marks.size;
  }
}

function parseMark(bytes: Buffer): ReplayMark | undefined {
  try {
    const mark = JSON.parse(bytes.toString()) as Partial<ReplayMark> | null;
    return mark?.v === 1 && typeof mark.source_topic === 'string'
      ? (mark as ReplayMark)
      : undefined;
  } catch {
    return undefined;
  }
}

export function replayMark(r: DeadLetterRecord, nowMs: number): ReplayMark {
  return {
    v: 1,
    dlq: formatAddress(r.address),
    source_topic: r.sourceTopic,
    source_partition: r.sourcePartition,
    source_offset: r.sourceOffset,
    failed_at_ms: Number.isFinite(r.failedAtMs) ? r.failedAtMs : null,
    replayed_at_ms: nowMs,
  };
}

/**
 * The message that brings a dead letter back: to its source topic, the same
 * key and value bytes (so the default partitioner puts it where its key's
 * records go), its original headers without the llmops-dlq-* ones, plus
 * where and when it was replayed from.
 */
export function replayMessage(
  r: DeadLetterRecord,
  nowMs: number,
): { topic: string; message: Message } {
  const headers: IHeaders = {
    ...originalHeaders(r.headers),
    [ReplayHeaders.from]: formatAddress(r.address),
    [ReplayHeaders.at]: new Date(nowMs).toISOString(),
  };
  return { topic: r.sourceTopic, message: { key: r.key, value: r.value, headers } };
}

export interface ReplayOptions {
  /** The compacted topic of replay marks; created (compacted, one partition) when missing. */
  marksTopic: string;
  /** @default 1 */
  marksReplicationFactor?: number;
  /** Replay even the dead letters already replayed. @default false */
  again?: boolean;
  /** Decide, but write nothing. @default false */
  dryRun?: boolean;
  /** @default Date.now */
  now?: () => number;
  /** Messages per produce request. @default 500 */
  chunkSize?: number;
}

export interface ReplayReport {
  /** Replayed (or, in a dry run, to be replayed). */
  replayed: DeadLetterRecord[];
  /** Left out because a replay mark says they were replayed already. */
  alreadyReplayed: DeadLetterRecord[];
  /** Replayed records per source topic. */
  perTopic: Record<string, number>;
  dryRun: boolean;
}

/**
 * Sends the dead letters back to their source topics through an idempotent
 * acks=all producer, then records a replay mark for each (acks=all) so a
 * second run leaves them out unless `again`. Replay comes before the mark:
 * a crash between them replays a record once more on the next run, which
 * consumers absorb (they are idempotent on the event id); the reverse order
 * could mark a record that never went back.
 */
export async function replayDeadLetters(
  kafka: Kafka,
  records: readonly DeadLetterRecord[],
  opts: ReplayOptions,
): Promise<ReplayReport> {
  const now = opts.now ?? Date.now;
  const marks = await ReplayMarks.load(kafka, opts.marksTopic);
  const replayed: DeadLetterRecord[] = [];
  const alreadyReplayed: DeadLetterRecord[] = [];
  for (const r of records) {
    if (!opts.again && marks.replayedAt(r) !== undefined) alreadyReplayed.push(r);
    else replayed.push(r);
  }
  const perTopic: Record<string, number> = {};
  for (const r of replayed) perTopic[r.sourceTopic] = (perTopic[r.sourceTopic] ?? 0) + 1;
  const report = { replayed, alreadyReplayed, perTopic, dryRun: opts.dryRun ?? false };
  if (report.dryRun || replayed.length === 0) return report;

  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = Object.keys(perTopic).filter((t) => !existing.has(t));
    if (missing.length > 0) {
      throw new Error(
        `cannot replay to ${missing.join(', ')}: no such topic (create it, or leave its dead letters out with --topic or --where); nothing was replayed`,
      );
    }
    await ensureReplayMarksTopic(admin, opts.marksTopic, opts.marksReplicationFactor ?? 1);
  } finally {
    await admin.disconnect();
  }
  const producer = new ProducerSession(kafka, undefined);
  await producer.connect();
  try {
    const chunkSize = opts.chunkSize ?? 500;
    for (let i = 0; i < replayed.length; i += chunkSize) {
      const chunk = replayed.slice(i, i + chunkSize);
      const at = now();
      const byTopic = new Map<string, Message[]>();
      for (const r of chunk) {
        const { topic, message } = replayMessage(r, at);
        byTopic.set(topic, [...(byTopic.get(topic) ?? []), message]);
      }
      await producer.send([...byTopic].map(([topic, messages]) => ({ topic, messages })));
      await producer.send([
        {
          topic: opts.marksTopic,
          messages: chunk.map((r) => ({
            key: formatAddress(r.address),
            value: JSON.stringify(replayMark(r, at)),
          })),
        },
      ]);
    }
  } finally {
    await producer.disconnect();
  }
  return report;
}

async function ensureReplayMarksTopic(
  admin: Admin,
  name: string,
  replicationFactor: number,
): Promise<void> {
  try {
    await ensureTopics(admin, [replayMarksTopicSpec(name, replicationFactor)]);
  } catch (err) {
    // Another replay created it meanwhile.
    if ((err as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS') throw err;
  }
}
