import type { IHeaders, KafkaMessage } from 'kafkajs';
import { dlqTopic } from '@llmops/contracts';

/** Headers a dead-lettered message carries, so an operator can tell why and from where. */
export const DlqHeaders = {
  error: 'llmops-dlq-error',
  errorClass: 'llmops-dlq-error-class',
  sourceTopic: 'llmops-dlq-source-topic',
  sourcePartition: 'llmops-dlq-source-partition',
  sourceOffset: 'llmops-dlq-source-offset',
  consumerGroup: 'llmops-dlq-consumer-group',
  attempts: 'llmops-dlq-attempts',
  failedAt: 'llmops-dlq-failed-at',
} as const;

export interface DeadLetter {
  topic: string;
  partition: number;
  message: KafkaMessage;
  error: Error;
  attempts: number;
  groupId: string;
}

/** The DLQ copy of a failed message: same key and bytes, original headers kept, reason added. */
export function toDlqMessage(d: DeadLetter): {
  topic: string;
  message: { key: Buffer | null; value: Buffer | null; headers: IHeaders };
} {
  return {
    topic: dlqTopic(d.topic),
    message: {
      key: d.message.key,
      value: d.message.value,
      headers: {
        ...(d.message.headers ?? {}),
        [DlqHeaders.error]: d.error.message.slice(0, 2_000),
        [DlqHeaders.errorClass]: d.error.name,
        [DlqHeaders.sourceTopic]: d.topic,
        [DlqHeaders.sourcePartition]: String(d.partition),
        [DlqHeaders.sourceOffset]: d.message.offset,
        [DlqHeaders.consumerGroup]: d.groupId,
        [DlqHeaders.attempts]: String(d.attempts),
        [DlqHeaders.failedAt]: new Date().toISOString(),
      },
    },
  };
}

/** Every header `toDlqMessage` adds starts with this; a replay strips them. */
export const DLQ_HEADER_PREFIX = 'llmops-dlq-';

/** Headers a replayed message carries, so a consumer (and an operator) can tell it came back from a DLQ. */
export const ReplayHeaders = {
  /** The dead letter's address, `<dlq-topic>/<partition>/<offset>`. */
  from: 'llmops-replayed-from',
  /** When it was replayed, ISO 8601. */
  at: 'llmops-replayed-at',
} as const;

/** A header value as text (kafkajs gives a Buffer, a string, or a list of them for a repeated name). */
export function headerText(value: IHeaders[string]): string | undefined {
  if (value === undefined) return undefined;
  const one = Array.isArray(value) ? value[value.length - 1] : value;
  return one === undefined ? undefined : one.toString();
}

/** Where a dead letter came from and why, as `toDlqMessage` wrote it. */
export interface DlqInfo {
  error: string;
  errorClass: string;
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: string;
  consumerGroup: string;
  attempts: number;
  /** Epoch ms; NaN when the header is missing or unreadable. */
  failedAtMs: number;
}

/**
 * Reads the DLQ headers of a message of `dlqTopicName`. A missing source
 * topic falls back to the DLQ's name without `.dlq`; other missing values
 * read as empty, -1 or NaN rather than failing, so a hand-written dead
 * letter can still be listed.
 */
export function parseDlqHeaders(dlqTopicName: string, headers: IHeaders | undefined): DlqInfo {
  const h = (name: string) => headerText(headers?.[name]);
  const int = (text: string | undefined) => (text && /^\d+$/.test(text) ? Number(text) : -1);
  const failedAt = h(DlqHeaders.failedAt);
  return {
    error: h(DlqHeaders.error) ?? '',
    errorClass: h(DlqHeaders.errorClass) ?? '',
    sourceTopic: h(DlqHeaders.sourceTopic) ?? dlqTopicName.replace(/\.dlq$/, ''),
    sourcePartition: int(h(DlqHeaders.sourcePartition)),
    sourceOffset: h(DlqHeaders.sourceOffset) ?? '',
    consumerGroup: h(DlqHeaders.consumerGroup) ?? '',
    attempts: int(h(DlqHeaders.attempts)),
    failedAtMs: failedAt ? Date.parse(failedAt) : NaN,
  };
}

/** The message's own headers, without the ones `toDlqMessage` added. */
export function originalHeaders(headers: IHeaders | undefined): IHeaders {
  return Object.fromEntries(
    Object.entries(headers ?? {}).filter(([name]) => !name.startsWith(DLQ_HEADER_PREFIX)),
  );
}
