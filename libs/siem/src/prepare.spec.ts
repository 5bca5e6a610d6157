import type { SecurityEvent } from '@llmops/contracts';
import { toCef } from './cef';
import { formatEcs, toEcs } from './ecs';
import { SiemFormatError } from './errors';
import { formatOcsf, toOcsf, toOcsfApiActivity } from './ocsf/ocsf';
import { FIELD_LIMITS, prepareEvent } from './prepare';
import { toSyslog } from './syslog';
import { eventWithEveryString, fixture, loadFixtures, ocsfSchema } from './testing/fixtures';
import { parseCef, parseRfc5424 } from './testing/parsers';

const renderers: Array<[string, (e: SecurityEvent) => string]> = [
  ['ocsf', formatOcsf],
  ['ocsf api activity', (e) => JSON.stringify(toOcsfApiActivity(e))],
  ['cef', toCef],
  ['ecs', formatEcs],
  ['syslog', (e) => toSyslog(e)],
];

/** An event of the given kind with every string a megabyte long and every list 10,000 items long. */
function oversized(name = 'guardrail-violation'): SecurityEvent {
  const mb = 'x'.repeat(1_000_000);
  const base = fixture(name);
  const full: SecurityEvent = {
    ...base,
    tenant_id: 't',
    actor: {
      user_id: 'u',
      app_id: 'a',
      agent_id: 'g',
      agent_name: 'n',
      api_key_id: 'k',
      source_ip: 'i',
      user_agent: 'ua',
    },
    target: {
      ...base.target,
      provider: 'p',
      model: 'm',
      operation: 'o',
      endpoint_host: 'h',
      http_method: 'POST',
      http_path: '/',
      tool_name: 't',
    },
    invocation_id: 'i',
    trace_id: 't',
    span_id: 's',
    rule: { id: 'r', name: 'n', type: 't', policy: 'p', version: 'v' },
    auth: { reason: 'unknown_key', required_scope: 's' },
    budget: { budget_id: 'b', scope: 's', period: 'p', unit: 'usd', limit: 1, observed: 2 },
  };
  const e = eventWithEveryString(mb, full);
  const many = Array.from({ length: 10_000 }, (_, i) => `item-${i}-${'y'.repeat(300)}`);
  return {
    ...e,
    sensitive_data: {
      classes: Array.from({ length: 10_000 }, () => 'pii' as const),
      entity_types: many,
      finding_count: 10_000,
      finding_ids: many,
      fields: many,
      max_confidence: 1,
    },
  };
}

describe('prepareEvent', () => {
  it('cuts strings and lists to FIELD_LIMITS and says so', () => {
    const { event, truncated } = prepareEvent(oversized());
    expect(truncated).toBe(true);
    expect(event.event_id).toHaveLength(FIELD_LIMITS.string);
    expect(event.event_id.endsWith('…')).toBe(true);
    expect(event.actor.user_agent).toHaveLength(FIELD_LIMITS.text);
    expect(event.sensitive_data!.finding_ids).toHaveLength(FIELD_LIMITS.listItems);
  });

  it('leaves an event within the limits as it is', () => {
    const e = fixture('sensitive-data-exposure');
    expect(prepareEvent(e)).toEqual({ event: e, truncated: false });
  });

  it('never cuts a surrogate pair in half and replaces lone surrogates', () => {
    const e = fixture('other');
    const emoji = '😀'.repeat(FIELD_LIMITS.string);
    const { event } = prepareEvent({ ...e, event_id: emoji, reporter: 'a\uD800b\uDC00c' });
    expect(event.event_id).toBe(`${'😀'.repeat(FIELD_LIMITS.string / 2 - 1)}…`);
    expect(event.reporter).toBe('a\uFFFDb\uFFFDc');
  });

  it.each([
    ['a time after year 9999', { time_ms: 253_402_300_800_000 }],
    ['a negative time', { time_ms: -1 }],
    ['a fractional time', { time_ms: 1.5 }],
    ['an unknown category', { category: 'nope' }],
    ['an unknown severity', { severity: 'nope' }],
    [
      'a non-finite budget',
      {
        budget: { budget_id: 'b', scope: null, period: null, unit: 'usd', limit: NaN, observed: 1 },
      },
    ],
  ])('rejects %s with a SiemFormatError', (_what, patch) => {
    const e = { ...fixture('other'), ...patch } as SecurityEvent;
    expect(() => prepareEvent(e)).toThrow(SiemFormatError);
    for (const [, render] of renderers) expect(() => render(e)).toThrow(SiemFormatError);
  });
});

describe('an oversized poison event', () => {
  const poison = oversized();
  const kinds = loadFixtures().map((f) => f.name);

  it.each(renderers)(
    'yields a bounded, single-line %s record for every category',
    (_name, render) => {
      for (const kind of kinds) {
        const out = render(oversized(kind));
        expect(Buffer.byteLength(out)).toBeLessThan(40 * 1024);
        expect(out).not.toMatch(/[\r\n]/);
      }
    },
  );

  it('yields valid OCSF for every category', () => {
    for (const kind of kinds) {
      expect(ocsfSchema().validate(toOcsf(oversized(kind)))).toEqual([]);
      expect(ocsfSchema().validate(toOcsfApiActivity(oversized(kind)))).toEqual([]);
    }
  });

  it('is marked as truncated in every format', () => {
    expect(toOcsf(poison).metadata).toMatchObject({ is_truncated: true });
    expect(parseCef(toCef(poison)).extension.get('cn2Label')).toEqual(['truncated']);
    expect(toEcs(poison)).toMatchObject({ llmops: { truncated: true } });
    const sd = parseRfc5424(toSyslog(poison)).structuredData[0]!;
    expect(new Map(sd.params).get('truncated')).toBe('true');
  });

  it('does not mark a normal event as truncated', () => {
    for (const f of loadFixtures()) {
      expect(JSON.stringify(toOcsf(f.event))).not.toContain('is_truncated');
      expect(toCef(f.event)).not.toContain('cn2');
    }
  });
});
