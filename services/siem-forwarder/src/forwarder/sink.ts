import type { KafkaMessage } from 'kafkajs';
import type { SecurityEvent } from '@llmops/contracts';
import type { ConsumedRecord } from '@llmops/kafka';

export type SinkName = 'kafka' | 'syslog' | 'hec';

/**
 * One destination of the forwarder. Each sink runs its own consumer group
 * over the security-events topic, so a sink that is down stalls only its
 * own group while the others keep flowing.
 */
export interface Sink<T> {
  readonly name: SinkName;
  readonly groupId: string;
  /**
   * Turns a decoded event into what the sink sends. Pure and deterministic:
   * a throw here (`SiemFormatError`) is the event's fault and sends the
   * record to the DLQ at once, without retries.
   */
  prepare(event: SecurityEvent, message: KafkaMessage): T;
  /**
   * Delivers a batch, in order. Resolves only once the destination has it
   * (as far as its protocol tells); throws `SinkUnavailableError` for
   * transient faults and `SinkRejectedError` for a refused record.
   * Redelivery after a crash is expected: every record carries the event's
   * stable id.
   */
  deliver(records: ConsumedRecord<T>[]): Promise<void>;
  start?(): Promise<void>;
  stop?(): Promise<void>;
}
