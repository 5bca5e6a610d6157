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
