import type { KafkaMessage } from 'kafkajs';
import { invocationCodec } from '@llmops/contracts';
import { redactedInvocation } from './invocation-fixtures';
import { UnredactedRecordError, decodeRedacted } from './redacted-invocation';

const message = (value: Buffer | null) => ({ value }) as KafkaMessage;

describe('decodeRedacted', () => {
  it('reads an invocation the scanner stamped', () => {
    const inv = redactedInvocation();
    expect(decodeRedacted(message(invocationCodec.encode(inv))).event_id).toBe(inv.event_id);
  });

  it('refuses an invocation without the redaction stamp, never retriable', () => {
    const raw = invocationCodec.encode({ ...redactedInvocation(), redaction: null });
    expect(() => decodeRedacted(message(raw))).toThrow(UnredactedRecordError);
  });

  it('refuses an empty message as undecodable', () => {
    expect(() => decodeRedacted(message(null))).toThrow();
  });
});
