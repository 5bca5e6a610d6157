import type { KafkaMessage } from 'kafkajs';
import { invocationCodec, type Invocation } from '@llmops/contracts';

/** Refused (and dead-lettered): a record on the redacted topic that the scanner did not redact. */
export class UnredactedRecordError extends Error {
  readonly retriable = false;
  constructor(eventId: string) {
    super(`invocation ${eventId} has no redaction stamp; raw text must never reach ClickHouse`);
    this.name = 'UnredactedRecordError';
  }
}

/** Decodes a record of the redacted topic; one without the scanner's stamp is poison. */
export function decodeRedacted(message: KafkaMessage): Invocation {
  const inv = invocationCodec.decode(message.value ?? Buffer.alloc(0));
  if (inv.redaction === null) throw new UnredactedRecordError(inv.event_id);
  return inv;
}
