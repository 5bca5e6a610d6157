import type { KafkaMessage } from 'kafkajs';
import { DlqHeaders, toDlqMessage, type DeadLetter } from './dlq';

function deadLetter(overrides: Partial<DeadLetter> = {}): DeadLetter {
  const message: KafkaMessage = {
    key: Buffer.from('tenant-a/trace-1'),
    value: Buffer.from([0xc3, 0x01, 1, 2, 3]),
    timestamp: '1700000000000',
    attributes: 0,
    offset: '41',
    headers: { 'content-type': 'avro/binary', traceparent: Buffer.from('00-abc') },
  };
  return {
    topic: 'p.llmops.invocations.v1',
    partition: 2,
    message,
    error: Object.assign(new Error('invocation is invalid: usage.input_tokens: is required'), {
      name: 'ContractValidationError',
    }),
    attempts: 1,
    groupId: 'llmops-pii-scanner',
    ...overrides,
  };
}

describe('toDlqMessage', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('goes to the .dlq topic of the source with the same key and bytes', () => {
    const d = deadLetter();
    const out = toDlqMessage(d);
    expect(out.topic).toBe('p.llmops.invocations.v1.dlq');
    expect(out.message.key).toBe(d.message.key);
    expect(out.message.value).toBe(d.message.value);
  });

  it('keeps the original headers and adds where and why it failed', () => {
    jest.useFakeTimers({ now: Date.UTC(2025, 0, 2, 3, 4, 5, 6) });
    const d = deadLetter({ attempts: 6 });
    expect(toDlqMessage(d).message.headers).toEqual({
      'content-type': 'avro/binary',
      traceparent: d.message.headers!.traceparent,
      [DlqHeaders.error]: 'invocation is invalid: usage.input_tokens: is required',
      [DlqHeaders.errorClass]: 'ContractValidationError',
      [DlqHeaders.sourceTopic]: 'p.llmops.invocations.v1',
      [DlqHeaders.sourcePartition]: '2',
      [DlqHeaders.sourceOffset]: '41',
      [DlqHeaders.consumerGroup]: 'llmops-pii-scanner',
      [DlqHeaders.attempts]: '6',
      [DlqHeaders.failedAt]: '2025-01-02T03:04:05.006Z',
    });
  });

  it('namespaces every header it adds under llmops-dlq-', () => {
    for (const name of Object.values(DlqHeaders)) expect(name).toMatch(/^llmops-dlq-[a-z-]+$/);
  });

  it('cuts a long error message to 2000 characters', () => {
    const out = toDlqMessage(deadLetter({ error: new Error('x'.repeat(10_000)) }));
    expect(out.message.headers[DlqHeaders.error]).toBe('x'.repeat(2_000));
  });

  it('copes with a message without headers or key', () => {
    const d = deadLetter();
    // An old message-set entry: no headers field at all.
    const message: KafkaMessage = {
      key: null,
      value: d.message.value,
      timestamp: d.message.timestamp,
      attributes: 0,
      offset: '7',
      size: 12,
    };
    const out = toDlqMessage({ ...d, message });
    expect(out.message.key).toBeNull();
    expect(Object.keys(out.message.headers).sort()).toEqual(Object.values(DlqHeaders).sort());
  });
});
