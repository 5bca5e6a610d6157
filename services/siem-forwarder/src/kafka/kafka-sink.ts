import type { Message } from 'kafkajs';
import type { SecurityEvent, TopicNames } from '@llmops/contracts';
import { siemTopics, type ConsumedRecord, type EventPublisher } from '@llmops/kafka';
import { SIEM_FORMATTERS, type SiemRecordFormat } from '@llmops/siem';
import { SinkRejectedError } from '../errors/sink-errors';
import type { Sink } from '../forwarder/sink';

/**
 * A SIEM record is ~3 times the size of its Avro event, so one fetched batch
 * (up to 1 MiB per partition) can exceed what the broker accepts in one
 * request (`message.max.bytes`, 1 MiB by default). Records are therefore
 * sent in chunks of at most this many bytes, one chunk per produce request.
 */
export const MAX_CHUNK_BYTES = 512 * 1024;
/** Larger records are refused by a default broker: they go to the DLQ instead of stalling the group. */
export const MAX_RECORD_BYTES = 1_000_000;

/** Header every SIEM topic record carries: the event's stable id (also inside the record). */
export const EVENT_ID_HEADER = 'llmops-event-id';

export interface FormattedRecords {
  key: string | null;
  eventId: string;
  /** One text per enabled format, in the order of `formats`. */
  texts: string[];
}

/**
 * Writes each event in every enabled format to its SIEM topic
 * (`llmops.siem.<format>.v1`), keyed by tenant; resolves once Kafka
 * acknowledged all of them (acks=all).
 */
export class KafkaSiemSink implements Sink<FormattedRecords> {
  readonly name = 'kafka' as const;
  private readonly targets: string[];

  constructor(
    readonly groupId: string,
    private readonly publisher: EventPublisher,
    topics: TopicNames,
    private readonly formats: readonly SiemRecordFormat[],
  ) {
    this.targets = siemTopics(topics, formats);
  }

  prepare(event: SecurityEvent): FormattedRecords {
    const texts = this.formats.map((f) => SIEM_FORMATTERS[f](event));
    const size = Math.max(...texts.map((t) => Buffer.byteLength(t, 'utf8')));
    if (size > MAX_RECORD_BYTES) {
      throw new SinkRejectedError(
        'kafka',
        `event ${event.event_id} gives a ${size}-byte record, over ${MAX_RECORD_BYTES}`,
      );
    }
    return { key: event.tenant_id, eventId: event.event_id, texts };
  }

  async deliver(records: ConsumedRecord<FormattedRecords>[]): Promise<void> {
    const sends: Promise<void>[] = [];
    this.targets.forEach((topic, i) => {
      let chunk: Message[] = [];
      let bytes = 0;
      for (const { value } of records) {
        const text = value.texts[i]!;
        const size = Buffer.byteLength(text, 'utf8') + 100; // + key, headers, record overhead
        if (chunk.length > 0 && bytes + size > MAX_CHUNK_BYTES) {
          sends.push(this.publisher.publish(topic, chunk));
          chunk = [];
          bytes = 0;
        }
        chunk.push({ key: value.key, value: text, headers: { [EVENT_ID_HEADER]: value.eventId } });
        bytes += size;
      }
      if (chunk.length > 0) sends.push(this.publisher.publish(topic, chunk));
    });
    // The publisher sends one chunk per request (maxBatchMessages 1), in order.
    await Promise.all(sends);
  }

  start(): Promise<void> {
    return this.publisher.connect();
  }

  stop(): Promise<void> {
    return this.publisher.disconnect();
  }
}
