import { invocationCodec, type Invocation, type PiiFinding } from '@llmops/contracts';
import {
  DEFAULT_DESTINATION_POLICIES,
  REDACTED,
  mask,
  operatorFor,
  type PiiType,
} from '@llmops/pii';
import { ENGINE_VERSION, InvocationScanner } from './invocation-scanner';
import { textFields } from './text-fields';

const HMAC_KEY = 'test-hmac-key-0123456789abcdefghijklmnop';
const NOW = 1_750_000_100_000;

const EMAIL = 'jane.doe@example.com';
const OPS_EMAIL = 'ops@acme.example';
const OTHER_EMAIL = 'bob@example.org';
const PHONE = '+1 415 555 2671';
const CARD = '4111 1111 1111 1111';
const CARD_COMPACT = '4111111111111111';
const AWS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const RAW_VALUES = [
  EMAIL,
  OPS_EMAIL,
  OTHER_EMAIL,
  PHONE,
  '4155552671',
  CARD,
  CARD_COMPACT,
  AWS_KEY,
];

/** An invocation with PII in every kind of text field. */
function invocation(
  overrides: Record<string, unknown> = {},
  kind: 'external' | 'internal' = 'external',
): Invocation {
  return invocationCodec.fromJson({
    event_id: 'evt-1',
    tenant_id: 'tenant-a',
    app_id: 'support-bot',
    trace_id: '0af7651916cd43dd8448eb211c80319c',
    operation: 'chat',
    provider_name: 'openai',
    request_model: 'gpt-4o',
    start_time_ms: 1_750_000_000_000,
    endpoint: { host: 'api.openai.com', kind },
    system_instructions: `Escalate to ${OPS_EMAIL} when unsure.`,
    input_messages: [
      { role: 'user', content: `My email is ${EMAIL}, call me on ${PHONE}.` },
      { role: 'assistant', content: null },
      { role: 'user', content: `Pay with card ${CARD} exp 12/27` },
    ],
    output_messages: [{ role: 'assistant', content: `I will write to ${EMAIL} shortly.` }],
    tool_calls: [
      {
        name: 'send_mail',
        arguments: JSON.stringify({ to: EMAIL, aws_key: AWS_KEY }),
        result: `texted phone ${PHONE}`,
      },
      { name: 'noop' },
    ],
    retrievals: [{ content: `Customer ${OTHER_EMAIL} paid with card ${CARD_COMPACT}` }],
    status: 'error',
    error_type: 'auth',
    error_message: `upstream rejected key ${AWS_KEY}`,
    ...overrides,
  });
}

const scanner = () => new InvocationScanner(HMAC_KEY, 0.5);

/** The original text of a finding's field. */
function originalText(inv: Invocation, field: string): string {
  const f = textFields(inv).find((t) => t.field === field);
  if (!f) throw new Error(`no text field ${field}`);
  return f.text;
}

const located = (inv: Invocation, findings: PiiFinding[]) =>
  findings.map((f) => [f.type, f.field, originalText(inv, f.field).slice(f.start, f.end)]);

describe('InvocationScanner.scan', () => {
  it('removes every raw e-mail, phone, card and AWS key from every field of the copy', () => {
    for (const kind of ['external', 'internal'] as const) {
      const { redacted } = scanner().scan(invocation({}, kind), NOW);
      const text = JSON.stringify(redacted);
      for (const raw of RAW_VALUES) expect(text).not.toContain(raw);
    }
  });

  it('finds each value in its field, with offsets into the original text', () => {
    const inv = invocation();
    const { findings } = scanner().scan(inv, NOW);
    expect(located(inv, findings)).toEqual([
      ['EMAIL', 'system_instructions', OPS_EMAIL],
      ['EMAIL', 'input_messages[0].content', EMAIL],
      ['PHONE', 'input_messages[0].content', PHONE],
      ['CREDIT_CARD', 'input_messages[2].content', CARD],
      ['EMAIL', 'output_messages[0].content', EMAIL],
      ['EMAIL', 'tool_calls[0].arguments', EMAIL],
      ['AWS_ACCESS_KEY', 'tool_calls[0].arguments', AWS_KEY],
      ['PHONE', 'tool_calls[0].result', PHONE],
      ['EMAIL', 'retrievals[0].content', OTHER_EMAIL],
      ['CREDIT_CARD', 'retrievals[0].content', CARD_COMPACT],
      ['AWS_ACCESS_KEY', 'error_message', AWS_KEY],
    ]);
  });

  it('never puts a found value into the findings, only its keyed hash', () => {
    const { findings } = scanner().scan(invocation(), NOW);
    const text = JSON.stringify(findings);
    for (const raw of RAW_VALUES) expect(text).not.toContain(raw);
    for (const f of findings) expect(f.value_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives the same value the same hash wherever it appears', () => {
    const { findings } = scanner().scan(invocation(), NOW);
    const emailHashes = new Set(
      findings.filter((f) => f.type === 'EMAIL').map((f) => f.value_hash),
    );
    // Three distinct addresses: ops@, jane (three fields) and bob@.
    expect(emailHashes.size).toBe(3);
  });

  it('copies the invocation identity and the detection time into each finding', () => {
    const { findings } = scanner().scan(invocation(), NOW);
    for (const f of findings) {
      expect(f).toMatchObject({
        event_id: 'evt-1',
        tenant_id: 'tenant-a',
        app_id: 'support-bot',
        trace_id: '0af7651916cd43dd8448eb211c80319c',
        endpoint_kind: 'external',
        detected_at_ms: NOW,
      });
      expect(f.confidence).toBeGreaterThanOrEqual(0.5);
      expect(f.rule).not.toBe('');
    }
  });

  it('keeps one placeholder per value across all fields of an invocation', () => {
    const { redacted } = scanner().scan(invocation(), NOW);
    expect(redacted.system_instructions).toBe('Escalate to <EMAIL_1> when unsure.');
    expect(redacted.input_messages[0]!.content).toBe(
      'My email is <EMAIL_2>, call me on <PHONE_1>.',
    );
    expect(redacted.output_messages[0]!.content).toBe('I will write to <EMAIL_2> shortly.');
    expect(redacted.tool_calls[0]!.arguments).toBe(
      '{"to":"<EMAIL_2>","aws_key":"<AWS_ACCESS_KEY_1>"}',
    );
    expect(redacted.tool_calls[0]!.result).toBe('texted phone <PHONE_1>');
    expect(redacted.input_messages[2]!.content).toBe('Pay with card <CREDIT_CARD_1> exp 12/27');
    expect(redacted.retrievals[0]!.content).toBe(
      'Customer <EMAIL_3> paid with card <CREDIT_CARD_1>',
    );
    expect(redacted.error_message).toBe('upstream rejected key <AWS_ACCESS_KEY_1>');
  });

  it('starts placeholder numbering afresh for each invocation', () => {
    const s = scanner();
    s.scan(invocation(), NOW);
    const { redacted } = s.scan(
      invocation({ event_id: 'evt-2', system_instructions: null, input_messages: [] }),
      NOW,
    );
    expect(redacted.output_messages[0]!.content).toBe('I will write to <EMAIL_1> shortly.');
  });

  it('stamps the copy with the finding count, the sorted distinct types and the engine version', () => {
    const { redacted, findings } = scanner().scan(invocation(), NOW);
    expect(findings).toHaveLength(11);
    expect(redacted.redaction).toEqual({
      finding_count: 11,
      types: ['AWS_ACCESS_KEY', 'CREDIT_CARD', 'EMAIL', 'PHONE'],
      engine_version: ENGINE_VERSION,
    });
  });

  it('stamps a clean invocation with zero findings and leaves its text as it was', () => {
    const clean = invocation({
      system_instructions: 'Be brief.',
      input_messages: [{ role: 'user', content: 'What is the capital of France?' }],
      output_messages: [{ role: 'assistant', content: 'Paris.' }],
      tool_calls: [],
      retrievals: [],
      status: 'ok',
      error_type: null,
      error_message: null,
    });
    const { redacted, findings } = scanner().scan(clean, NOW);
    expect(findings).toEqual([]);
    expect(redacted).toEqual({
      ...clean,
      redaction: { finding_count: 0, types: [], engine_version: ENGINE_VERSION },
    });
  });

  it('gives identical finding ids when the same invocation is scanned again (a redelivery)', () => {
    const first = scanner().scan(invocation(), NOW);
    const again = scanner().scan(invocation(), NOW + 5_000);
    expect(again.findings.map((f) => f.finding_id)).toEqual(
      first.findings.map((f) => f.finding_id),
    );
    expect(again.redacted).toEqual(first.redacted);
  });

  it('gives every finding of an invocation its own id, and other events other ids', () => {
    const a = scanner()
      .scan(invocation(), NOW)
      .findings.map((f) => f.finding_id);
    const b = scanner()
      .scan(invocation({ event_id: 'evt-2' }), NOW)
      .findings.map((f) => f.finding_id);
    for (const id of [...a, ...b]) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(a).size).toBe(a.length);
    expect(new Set([...a, ...b]).size).toBe(a.length + b.length);
  });

  it('does not change the invocation it scans', () => {
    const inv = invocation();
    const before = structuredClone(inv);
    scanner().scan(inv, NOW);
    expect(inv).toEqual(before);
    expect(inv.redaction).toBeNull();
  });

  it('returns a copy that still satisfies the invocation contract', () => {
    const { redacted } = scanner().scan(invocation(), NOW);
    expect(invocationCodec.decode(invocationCodec.encode(redacted))).toEqual(redacted);
  });

  describe('destination policies', () => {
    /** What DEFAULT_DESTINATION_POLICIES says a value of `type` becomes at `kind`. */
    function expectedShape(kind: 'external' | 'internal', type: PiiType, value: string): RegExp {
      const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      switch (operatorFor(DEFAULT_DESTINATION_POLICIES[kind], type)) {
        case 'placeholder':
          return new RegExp(`<${type}_\\d+>`);
        case 'hash':
          return new RegExp(`<${type}#[0-9a-f]{16}>`);
        case 'mask':
          return new RegExp(escape(mask(value)));
        case 'redact':
          return new RegExp(escape(REDACTED));
        case 'drop':
          return /^$/;
      }
    }

    it.each(['external', 'internal'] as const)(
      'replaces each value the way the default %s policy says',
      (kind) => {
        const inv = invocation({}, kind);
        const { redacted, findings } = scanner().scan(inv, NOW);
        for (const f of findings) {
          const value = originalText(inv, f.field).slice(f.start, f.end);
          expect(originalText(redacted, f.field)).toMatch(
            expectedShape(kind, f.type as PiiType, value),
          );
          expect(f.endpoint_kind).toBe(kind);
        }
      },
    );

    it('writes placeholders for an external endpoint but keyed hashes, masks and removals for an internal one', () => {
      const external = scanner().scan(invocation({}, 'external'), NOW).redacted;
      const internal = scanner().scan(invocation({}, 'internal'), NOW).redacted;
      expect(external.input_messages[0]!.content).toBe(
        'My email is <EMAIL_2>, call me on <PHONE_1>.',
      );
      expect(internal.input_messages[0]!.content).toMatch(
        /^My email is <EMAIL#[0-9a-f]{16}>, call me on \+\* \*\*\* \*\*\* 2671\.$/,
      );
      expect(internal.input_messages[2]!.content).toBe(
        'Pay with card **** **** **** 1111 exp 12/27',
      );
      expect(internal.error_message).toBe(`upstream rejected key ${REDACTED}`);
    });

    it('hashes the same address to the same token in every field for an internal endpoint', () => {
      const { redacted } = scanner().scan(invocation({}, 'internal'), NOW);
      const token = /<EMAIL#[0-9a-f]{16}>/.exec(redacted.input_messages[0]!.content!)?.[0];
      expect(token).toBeDefined();
      expect(redacted.output_messages[0]!.content).toBe(`I will write to ${token} shortly.`);
      expect(redacted.tool_calls[0]!.arguments).toContain(token);
      expect(redacted.system_instructions).not.toContain(token);
    });

    it('drops whole fields under a drop policy, leaving retrievals empty rather than null', () => {
      const dropAll = new InvocationScanner(HMAC_KEY, 0.5, {
        external: { default: 'drop' },
        internal: { default: 'drop' },
      });
      const { redacted } = dropAll.scan(invocation(), NOW);
      expect(redacted.system_instructions).toBeNull();
      expect(redacted.input_messages.map((m) => m.content)).toEqual([null, null, null]);
      expect(redacted.retrievals[0]!.content).toBe('');
      expect(redacted.error_message).toBeNull();
      expect(() => invocationCodec.encode(redacted)).not.toThrow();
    });
  });
});

describe('the exposure event', () => {
  const gateway = (pii_action: string) => ({
    route: 'gpt-4o-mini',
    upstream: 'openai',
    upstream_model: 'gpt-4o-mini',
    attempts: [],
    usage_source: 'reported',
    pii_action,
    pii_types: ['EMAIL'],
  });

  it('reports PII sent to an external endpoint as allowed through', () => {
    const { exposure } = scanner().scan(invocation(), NOW);
    expect(exposure).toMatchObject({
      category: 'sensitive_data_exposure',
      outcome: 'allowed',
      rule: { policy: null },
    });
  });

  it("takes the gateway's word for what the endpoint received: replaced values, or no call", () => {
    for (const [action, outcome] of [
      ['redact', 'redacted'],
      ['restore', 'redacted'],
      ['block', 'blocked'],
      ['allow', 'allowed'],
    ] as const) {
      const { exposure } = scanner().scan(invocation({ gateway: gateway(action) }), NOW);
      expect(exposure).toMatchObject({ outcome, rule: { policy: `gateway.pii.${action}` } });
    }
  });

  it('reports nothing for an internal endpoint', () => {
    expect(scanner().scan(invocation({}, 'internal'), NOW).exposure).toBeUndefined();
  });
});
