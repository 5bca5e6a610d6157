import type { KafkaMessage } from 'kafkajs';
import { invocationCodec, topicNames } from '@llmops/contracts';
import { DlqHeaders, ReplayHeaders, parseDlqHeaders, toDlqMessage } from './dlq';
import { summarizeDeadLetter, sourceCodecs } from './dlq-summary';
import { replayMark, replayMessage } from './dlq-replay';
import { toDeadLetterRecord } from './dlq-tools';

const topics = topicNames('p.');
const CANARY = 'canary-prompt-text-7f3a';
const FAILED_AT = Date.UTC(2025, 0, 2, 3, 4, 5, 6);

const invocationBytes = invocationCodec.encode(
  invocationCodec.fromJson({
    event_id: 'evt-1',
    tenant_id: 'tenant-a',
    app_id: 'support-bot',
    trace_id: '0af7651916cd43dd8448eb211c80319c',
    operation: 'chat',
    provider_name: 'openai',
    request_model: 'gpt-4o',
    start_time_ms: 1_750_000_000_000,
    endpoint: { host: 'api.openai.com', kind: 'external' },
    system_instructions: `be nice ${CANARY}`,
    input_messages: [{ role: 'user', content: `hello ${CANARY}` }],
    output_messages: [{ role: 'assistant', content: `hi ${CANARY}!` }],
    tool_calls: [{ name: 'lookup', arguments: CANARY, result: CANARY }],
    status: 'ok',
  }),
);

/** A DLQ message exactly as the consumer runner writes it, read back as a consumer sees it. */
function dlqMessage(value: Buffer | null, offset = '5'): KafkaMessage {
  jest.useFakeTimers({ now: FAILED_AT });
  const dl = toDlqMessage({
    topic: topics.invocations,
    partition: 2,
    message: {
      key: Buffer.from('tenant-a/trace-1'),
      value,
      timestamp: '1700000000000',
      attributes: 0,
      offset: '41',
      headers: { traceparent: Buffer.from('00-abc') },
    },
    error: Object.assign(new Error('usage.input_tokens: is required'), {
      name: 'ContractValidationError',
    }),
    attempts: 3,
    groupId: 'llmops-pii-scanner',
  });
  jest.useRealTimers();
  // A consumer gets every header value as a Buffer.
  const headers = Object.fromEntries(
    Object.entries(dl.message.headers).map(([k, v]) => [k, Buffer.from(String(v))]),
  );
  return {
    key: dl.message.key,
    value: dl.message.value,
    timestamp: String(FAILED_AT),
    attributes: 0,
    offset,
    headers,
  };
}

describe('toDeadLetterRecord', () => {
  it('reads where the dead letter sits, where it came from and why', () => {
    const r = toDeadLetterRecord(`${topics.invocations}.dlq`, 1, dlqMessage(invocationBytes));
    expect(r).toMatchObject({
      address: { topic: `${topics.invocations}.dlq`, partition: 1, offset: '5' },
      sourceTopic: topics.invocations,
      sourcePartition: 2,
      sourceOffset: '41',
      consumerGroup: 'llmops-pii-scanner',
      errorClass: 'ContractValidationError',
      error: 'usage.input_tokens: is required',
      attempts: 3,
      failedAtMs: FAILED_AT,
      timestampMs: FAILED_AT,
    });
  });
});

describe('parseDlqHeaders', () => {
  it('copes with a message that has none of the headers', () => {
    expect(parseDlqHeaders('a.b.dlq', undefined)).toMatchObject({
      sourceTopic: 'a.b',
      sourcePartition: -1,
      attempts: -1,
      failedAtMs: NaN,
    });
  });
});

describe('replayMessage', () => {
  const r = toDeadLetterRecord(`${topics.invocations}.dlq`, 1, dlqMessage(invocationBytes));
  const out = replayMessage(r, Date.UTC(2025, 0, 3));

  it('goes to the source topic with the same key and value bytes', () => {
    expect(out.topic).toBe(topics.invocations);
    expect(out.message.key).toEqual(Buffer.from('tenant-a/trace-1'));
    expect(out.message.value).toBe(r.value);
  });

  it('keeps the original headers, drops the llmops-dlq-* ones and says where it was replayed from', () => {
    expect(out.message.headers).toEqual({
      traceparent: Buffer.from('00-abc'),
      [ReplayHeaders.from]: `${topics.invocations}.dlq/1/5`,
      [ReplayHeaders.at]: '2025-01-03T00:00:00.000Z',
    });
    expect(Object.keys(out.message.headers ?? {})).not.toContain(DlqHeaders.error);
  });
});

describe('replayMark', () => {
  it('names the dead letter and the source record it replayed', () => {
    const r = toDeadLetterRecord(`${topics.invocations}.dlq`, 1, dlqMessage(invocationBytes));
    expect(replayMark(r, 42)).toEqual({
      v: 1,
      dlq: `${topics.invocations}.dlq/1/5`,
      source_topic: topics.invocations,
      source_partition: 2,
      source_offset: '41',
      failed_at_ms: FAILED_AT,
      replayed_at_ms: 42,
    });
  });
});

describe('summarizeDeadLetter', () => {
  const codecs = sourceCodecs(topics);

  it('decodes with the source topic codec and keeps ids and sizes, never the text', () => {
    const s = summarizeDeadLetter(codecs, topics.invocations, invocationBytes);
    expect(s).toMatchObject({
      kind: 'invocation',
      decodes: true,
      summary: expect.objectContaining({
        event_id: 'evt-1',
        tenant_id: 'tenant-a',
        request_model: 'gpt-4o',
        input_messages: 1,
        input_chars: `hello ${CANARY}`.length,
        output_chars: `hi ${CANARY}!`.length,
        tool_calls: 1,
      }),
    });
    expect(JSON.stringify(s)).not.toContain(CANARY);
  });

  it('says why a poison message does not decode', () => {
    const s = summarizeDeadLetter(codecs, topics.invocations, Buffer.from([0xff, 0, 1]));
    expect(s).toEqual({
      kind: 'invocation',
      decodes: false,
      error: expect.stringMatching(/bad or missing C3 01 header/),
    });
  });

  it('says when no codec is known for the source topic', () => {
    expect(summarizeDeadLetter(codecs, 'elsewhere', Buffer.from('x'))).toMatchObject({
      decodes: false,
      error: 'no codec known for elsewhere',
    });
  });
});
