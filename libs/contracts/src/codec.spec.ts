import { EventCodec, invocationCodec, piiFindingCodec } from './codec';
import { ContractValidationError, DecodeError } from './errors';
import { rabinFingerprint } from './fingerprint';
import { schemaFiles, type Invocation } from './generated/schemas';

function minimalInput() {
  return {
    event_id: '0b7c3f2e-1a43-4c52-9f1d-2d1f2e3a4b5c',
    tenant_id: 'acme',
    app_id: 'support-bot',
    trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
    operation: 'chat',
    provider_name: 'openai',
    request_model: 'gpt-4o',
    start_time_ms: 1_764_000_000_000,
    input_messages: [{ role: 'user', content: 'hello' }],
    usage: { input_tokens: 12, output_tokens: 3 },
  };
}

describe('rabinFingerprint', () => {
  it('matches the Avro specification test vector for "null"', () => {
    expect(rabinFingerprint('"null"').readBigInt64LE()).toBe(7195948357588979594n);
  });
});

describe('invocation codec', () => {
  it('fills defaults and round-trips through the single-object frame', () => {
    const value = invocationCodec.fromJson(minimalInput());
    expect(value.user_id).toBeNull();
    expect(value.usage).toEqual({
      input_tokens: 12,
      output_tokens: 3,
      cached_input_tokens: 0,
      reasoning_tokens: 0,
      cache_creation_input_tokens: 0,
    });
    expect(value.endpoint).toEqual({ host: null, kind: 'external' });
    const buf = invocationCodec.encode(value);
    expect([buf[0], buf[1]]).toEqual([0xc3, 0x01]);
    expect(buf.subarray(2, 10)).toEqual(invocationCodec.fingerprint);
    expect(invocationCodec.decode(buf)).toEqual(value);
  });

  it('encodes records of every size, small after large and large after small, each in its own buffer', () => {
    const withPrompt = (chars: number) =>
      invocationCodec.fromJson({
        ...minimalInput(),
        input_messages: [{ role: 'user', content: 'p'.repeat(chars) }],
      });
    const sizes = [10, 70_000, 5, 3_000_000, 100, 9_000_000, 1];
    const encoded = sizes.map((n) => invocationCodec.encode(withPrompt(n)));
    sizes.forEach((n, i) => {
      const back = invocationCodec.decode(encoded[i]!);
      expect(back.input_messages[0]!.content).toHaveLength(n);
    });
  });

  it('completes the input itself with inPlace, giving the same record as the copying path', () => {
    const copied = invocationCodec.fromJson(minimalInput());
    const input = minimalInput();
    const completed = invocationCodec.fromJson(input, { inPlace: true });
    expect(completed).toBe(input);
    expect(completed).toEqual(copied);
    expect(invocationCodec.decode(invocationCodec.encode(completed))).toEqual(copied);
  });

  it('reports every bad field with its path and never echoes long text', () => {
    const input = {
      ...minimalInput(),
      app_id: 7,
      operation: 'chatting',
      usage: { input_tokens: 1.5, output_tokens: '3' },
      input_messages: [{ role: 'user', content: 42 }, { content: 'x' }],
      surprise: true,
    } as Record<string, unknown>;
    delete input.request_model;
    let error: ContractValidationError | undefined;
    try {
      invocationCodec.fromJson(input);
    } catch (e) {
      error = e as ContractValidationError;
    }
    expect(error).toBeInstanceOf(ContractValidationError);
    expect(error!.retriable).toBe(false);
    const byPath = Object.fromEntries(error!.errors.map((e) => [e.path, e.message]));
    expect(byPath).toEqual({
      surprise: 'is not a known field',
      app_id: 'must be a string (got integer 7)',
      operation: expect.stringContaining('must be one of chat, text_completion'),
      request_model: 'is required',
      'input_messages[0].content': 'must be a string (got integer 42)',
      'input_messages[1].role': 'is required',
      'usage.input_tokens': 'must be an integer (got number 1.5)',
      'usage.output_tokens': "must be an integer (got string '3')",
    });
  });

  it('rejects frames it cannot read with a DecodeError naming the reason', () => {
    expect(() => invocationCodec.decode(Buffer.from('{"json":true}'))).toThrow(
      /bad or missing C3 01 header/,
    );
    const foreign = Buffer.concat([
      Buffer.from([0xc3, 0x01]),
      Buffer.alloc(8, 7),
      Buffer.from([1, 2]),
    ]);
    expect(() => invocationCodec.decode(foreign)).toThrow(
      /unknown invocation writer schema fingerprint/,
    );
    const good = invocationCodec.encode(invocationCodec.fromJson(minimalInput()));
    expect(() => invocationCodec.decode(good.subarray(0, 20))).toThrow(DecodeError);
  });

  it('keeps findings and invocations apart: a finding frame is not an invocation', () => {
    const finding = piiFindingCodec.fromJson({
      finding_id: 'f1',
      event_id: 'e1',
      tenant_id: 't',
      app_id: 'a',
      trace_id: 'tr',
      type: 'EMAIL',
      field: 'input_messages[0].content',
      start: 0,
      end: 5,
      confidence: 0.9,
      rule: 'email',
      value_hash: 'ab',
      endpoint_kind: 'external',
      detected_at_ms: 1,
    });
    expect(() => invocationCodec.decode(piiFindingCodec.encode(finding))).toThrow(
      /unknown invocation writer/,
    );
  });
});

describe('schema evolution', () => {
  const v1 = schemaFiles['invocation.v1'] as unknown as { fields: Array<Record<string, unknown>> };

  it('the newest invocation reader reads v1 records, with every field v2 added at its default', () => {
    const v1Writer = new EventCodec<Record<string, unknown>>('invocation', v1);
    const v1Record = v1Writer.fromJson({
      ...minimalInput(),
      tool_calls: [{ id: 'call_1', name: 'search', arguments: '{}' }],
      retrievals: [{ source: 'kb', content: 'doc' }],
    });
    const read = invocationCodec.decode(v1Writer.encode(v1Record));
    expect(read).toMatchObject({
      app_id: 'support-bot',
      agent_version: null,
      delegated_agent_id: null,
      delegated_agent_name: null,
      gateway: null,
      usage: { input_tokens: 12, cache_creation_input_tokens: 0 },
      tool_calls: [{ id: 'call_1', name: 'search', type: null, duration_ms: null }],
      retrievals: [{ source: 'kb', data_source_id: null }],
    });
  });

  it('the newest invocation reader reads v2 records: source event_api, no guardrail decisions, usage sources kept', () => {
    const v2 = schemaFiles['invocation.v2'] as unknown;
    const v2Writer = new EventCodec<Record<string, unknown>>('invocation', v2);
    const v2Record = v2Writer.fromJson({
      ...minimalInput(),
      gateway: {
        route: 'gpt-4o',
        upstream: 'primary',
        upstream_model: 'gpt-4o',
        attempts: [],
        usage_source: 'missing',
        pii_action: null,
        pii_types: [],
      },
    });
    const read = invocationCodec.decode(v2Writer.encode(v2Record));
    expect(read).toMatchObject({
      source: 'event_api',
      guardrails: [],
      gateway: { route: 'gpt-4o', usage_source: 'missing' },
    });
  });

  it('writes v3 with the usage source counted and guardrail decisions', () => {
    const record = invocationCodec.fromJson({
      ...minimalInput(),
      source: 'gateway',
      guardrails: [
        {
          rule_id: 'no-secrets',
          rule_revision: 3,
          stage: 'input',
          action: 'block',
          severity: 'high',
          outcome: 'violated',
          detail: 'AWS_ACCESS_KEY',
        },
      ],
    });
    const read = invocationCodec.decode(invocationCodec.encode(record));
    expect(read.guardrails).toEqual([
      {
        rule_id: 'no-secrets',
        rule_revision: 3,
        stage: 'input',
        action: 'block',
        severity: 'high',
        outcome: 'violated',
        mode: 'enforce',
        detail: 'AWS_ACCESS_KEY',
        duration_us: null,
      },
    ]);
    expect(read.source).toBe('gateway');
  });

  it('a reader with a new defaulted field reads data written without it', () => {
    const v2 = {
      ...v1,
      fields: [...v1.fields, { name: 'cost_center', type: ['null', 'string'], default: null }],
    };
    const v2Reader = new EventCodec<Invocation & { cost_center: string | null }>('invocation', v2);
    const v1Bytes = invocationCodec.encode(invocationCodec.fromJson(minimalInput()));
    const read = v2Reader.decode(v1Bytes);
    expect(read.cost_center).toBeNull();
    expect(read.app_id).toBe('support-bot');
  });

  it('an incompatible v2 (a new field without default) is rejected', () => {
    const v2 = { ...v1, fields: [...v1.fields, { name: 'cost_center', type: 'string' }] };
    expect(() => new EventCodec('invocation', v2)).toThrow(/cost_center/);
  });

  it('every committed schema version can be read by the newest reader of its kind', () => {
    // Constructing the codecs builds a resolver from every version in schemas/; a breaking file fails here.
    expect(() => new EventCodec('invocation')).not.toThrow();
    expect(() => new EventCodec('pii-finding')).not.toThrow();
  });
});
