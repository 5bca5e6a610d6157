import type { IHeaders } from 'kafkajs';
import { dlqTopic, type TopicNames } from '@llmops/contracts';
import type { DlqInfo } from './dlq';

/** A bad DLQ address, `--since` or `--where`: the CLI prints it as a usage error. */
export class DlqSelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DlqSelectionError';
  }
}

/** Where a dead letter sits: its DLQ topic, partition and offset. Stable for the topic's life. */
export interface DeadLetterAddress {
  topic: string;
  partition: number;
  offset: string;
}

/** A dead letter as read from its DLQ topic: where it sits, why it is there, its bytes. */
export interface DeadLetterRecord extends DlqInfo {
  address: DeadLetterAddress;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
  /** The DLQ message's timestamp, epoch ms. */
  timestampMs: number;
}

/** `<dlq-topic>/<partition>/<offset>`: what `llmops dlq list` prints and `show` takes. */
export function formatAddress(a: DeadLetterAddress): string {
  return `${a.topic}/${a.partition}/${a.offset}`;
}

/** Reads `<dlq-topic>/<partition>/<offset>` (topic names cannot contain '/'). */
export function parseAddress(text: string): DeadLetterAddress {
  const match = /^([A-Za-z0-9._-]+)\/(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) {
    throw new DlqSelectionError(
      `'${text}' is not a dead letter's address; expected <dlq-topic>/<partition>/<offset> as \`llmops dlq list\` prints it`,
    );
  }
  return { topic: match[1]!, partition: Number(match[2]), offset: BigInt(match[3]!).toString() };
}

/** The DLQ of a topic given either as the source topic or as its `.dlq`. */
export function toDlqTopicName(topic: string): string {
  return topic.endsWith('.dlq') ? topic : dlqTopic(topic);
}

/**
 * The DLQ topic of every platform topic a consumer could dead-letter from
 * (all but the control topics, which are read whole and never dead-letter).
 */
export function platformDlqTopics(topics: TopicNames): string[] {
  return Object.entries(topics)
    .filter(([name]) => !name.startsWith('control'))
    .map(([, topic]) => dlqTopic(topic));
}

const DURATION_MS: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/**
 * `--since`: an ISO 8601 time (`2025-01-02T03:00:00Z`, `2025-01-02`) or a
 * duration back from `nowMs` (`90s`, `15m`, `1h`, `2d`, `1w`, or sums of
 * them such as `1h30m`). Returns epoch ms.
 */
export function parseSince(text: string, nowMs: number): number {
  const t = text.trim();
  if (/^(\d+[smhdw])+$/.test(t)) {
    let ms = 0;
    for (const [, n, unit] of t.matchAll(/(\d+)([smhdw])/g)) ms += Number(n) * DURATION_MS[unit!]!;
    return nowMs - ms;
  }
  const at = /^\d{4}-\d{2}-\d{2}/.test(t) ? Date.parse(t) : NaN;
  if (!Number.isFinite(at)) {
    throw new DlqSelectionError(
      `--since '${text}' is neither an ISO 8601 time (2025-01-02T03:00:00Z) nor a duration (30m, 1h, 2d, 1h30m)`,
    );
  }
  return at;
}

/** Which dead letters a list or replay takes; every given condition must hold. */
export interface DeadLetterFilter {
  /** Failed at or after this time, epoch ms. */
  sinceMs?: number;
  /** The error header contains this text (any case). */
  reason?: string;
  /** The error class is exactly this (`DecodeError`, `ContractValidationError`, …). */
  errorClass?: string;
  /** Dead-lettered by this consumer group. */
  group?: string;
}

const WHERE_FIELDS = { reason: 'reason', class: 'errorClass', group: 'group' } as const;

/** `--where reason=<substring>`, `class=<error class>`, `group=<consumer group>`; repeatable. */
export function parseWhere(clauses: readonly string[]): Omit<DeadLetterFilter, 'sinceMs'> {
  const filter: Omit<DeadLetterFilter, 'sinceMs'> = {};
  for (const clause of clauses) {
    const eq = clause.indexOf('=');
    const field = eq > 0 ? clause.slice(0, eq).trim() : '';
    const value = eq > 0 ? clause.slice(eq + 1) : '';
    if (!(field in WHERE_FIELDS) || value.length === 0) {
      throw new DlqSelectionError(
        `--where '${clause}': expected reason=<text>, class=<error class> or group=<consumer group>`,
      );
    }
    filter[WHERE_FIELDS[field as keyof typeof WHERE_FIELDS]] = value;
  }
  return filter;
}

export function matchesFilter(r: DlqInfo, f: DeadLetterFilter): boolean {
  // A dead letter without a readable failed-at cannot be placed in time: --since leaves it out.
  if (f.sinceMs !== undefined && !(r.failedAtMs >= f.sinceMs)) return false;
  if (f.reason !== undefined && !r.error.toLowerCase().includes(f.reason.toLowerCase())) {
    return false;
  }
  if (f.errorClass !== undefined && r.errorClass !== f.errorClass) return false;
  if (f.group !== undefined && r.consumerGroup !== f.group) return false;
  return true;
}

/** Dead letters per reason (error class and message), most frequent first. */
export function countByReason(
  records: readonly DlqInfo[],
): Array<{ errorClass: string; reason: string; count: number }> {
  const counts = new Map<string, { errorClass: string; reason: string; count: number }>();
  for (const r of records) {
    const key = `${r.errorClass}\u0000${r.error}`;
    const entry = counts.get(key) ?? { errorClass: r.errorClass, reason: r.error, count: 0 };
    entry.count++;
    counts.set(key, entry);
  }
  return [...counts.values()].sort(
    (a, b) => b.count - a.count || a.errorClass.localeCompare(b.errorClass),
  );
}
