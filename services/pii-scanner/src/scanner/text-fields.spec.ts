import { invocationCodec, type Invocation } from '@llmops/contracts';
import { textFields } from './text-fields';

function invocation(overrides: Record<string, unknown> = {}): Invocation {
  return invocationCodec.fromJson({
    event_id: 'evt-1',
    tenant_id: 'tenant-a',
    app_id: 'support-bot',
    trace_id: '0af7651916cd43dd8448eb211c80319c',
    operation: 'chat',
    provider_name: 'openai',
    request_model: 'gpt-4o',
    start_time_ms: 1_750_000_000_000,
    ...overrides,
  });
}

/** An invocation with text in every free-text field, and some nulls between them. */
const full = () =>
  invocation({
    system_instructions: 'system',
    input_messages: [
      { role: 'user', content: 'in-0' },
      { role: 'assistant', content: null },
      { role: 'user', content: 'in-2' },
    ],
    output_messages: [{ role: 'assistant', content: 'out-0' }],
    tool_calls: [
      { name: 'search', arguments: '{"q":"args-0"}', result: 'result-0' },
      { name: 'noop', arguments: null, result: null },
      { name: 'fetch', arguments: null, result: 'result-2' },
    ],
    retrievals: [{ content: 'doc-0' }, { content: '' }],
    status: 'error',
    error_message: 'error text',
  });

describe('textFields', () => {
  it('lists every free-text field with its path and text, in order, skipping nulls', () => {
    expect(textFields(full()).map(({ field, text }) => [field, text])).toEqual([
      ['system_instructions', 'system'],
      ['input_messages[0].content', 'in-0'],
      ['input_messages[2].content', 'in-2'],
      ['output_messages[0].content', 'out-0'],
      ['tool_calls[0].arguments', '{"q":"args-0"}'],
      ['tool_calls[0].result', 'result-0'],
      ['tool_calls[2].result', 'result-2'],
      ['retrievals[0].content', 'doc-0'],
      ['retrievals[1].content', ''],
      ['error_message', 'error text'],
    ]);
  });

  it('lists nothing for an invocation without text', () => {
    expect(textFields(invocation())).toEqual([]);
  });

  it('does not list ids, names, roles or labels', () => {
    const inv = invocation({
      user_id: 'user@example.com',
      conversation_id: 'conv',
      input_messages: [{ role: 'user', name: 'Jane', tool_call_id: 'call-1', content: null }],
      tool_calls: [{ id: 'call-1', name: 'send_mail' }],
      retrievals: [],
      labels: { owner: 'jane@example.com' },
    });
    expect(textFields(inv)).toEqual([]);
  });

  it('writes each field back to the same place of another copy', () => {
    const source = full();
    const target = structuredClone(source);
    const fields = textFields(source);
    for (const f of fields) f.set(target, `<${f.field}>`);
    expect(textFields(target).map((f) => f.text)).toEqual(fields.map((f) => `<${f.field}>`));
    expect(target.input_messages[1]!.content).toBeNull();
    expect(target.tool_calls[1]).toEqual(source.tool_calls[1]);
    expect(target.tool_calls[2]!.arguments).toBeNull();
    expect(target.input_messages[0]!.role).toBe('user');
    expect(source.system_instructions).toBe('system');
  });

  it('removes a nullable field when set to null and empties a retrieval, which cannot be null', () => {
    const inv = full();
    for (const f of textFields(inv)) f.set(inv, null);
    expect(inv.system_instructions).toBeNull();
    expect(inv.input_messages.map((m) => m.content)).toEqual([null, null, null]);
    expect(inv.output_messages[0]!.content).toBeNull();
    expect(inv.tool_calls.map((t) => [t.arguments, t.result])).toEqual([
      [null, null],
      [null, null],
      [null, null],
    ]);
    expect(inv.retrievals.map((r) => r.content)).toEqual(['', '']);
    expect(inv.error_message).toBeNull();
    expect(() => invocationCodec.encode(inv)).not.toThrow();
  });
});
