import type { SecurityEvent } from '@llmops/contracts';
import { OCSF_SCHEMA_VERSION, SIEM_PRODUCT_VERSION } from '../constants';
import { eventWithEveryString, fixture, loadFixtures, ocsfSchema } from '../testing/fixtures';
import { OCSF_CLASS_BY_CATEGORY, formatOcsf, toOcsf, toOcsfApiActivity } from './ocsf';

const fixtures = loadFixtures();

describe('OCSF records', () => {
  it.each(fixtures.map((f) => [f.name, f.event] as const))(
    'of %s are valid OCSF 1.8 in the class of their category and as API Activity',
    (_name, event) => {
      expect(ocsfSchema().validate(toOcsf(event))).toEqual([]);
      expect(ocsfSchema().validate(toOcsfApiActivity(event))).toEqual([]);
    },
  );

  it('use Data Security Finding 2006, Detection Finding 2004, Authentication 3002 and API Activity 6003', () => {
    const classOf = (name: string) => toOcsf(fixture(name)).class_uid;
    expect(classOf('sensitive-data-exposure')).toBe(2006);
    expect(classOf('guardrail-violation')).toBe(2004);
    expect(classOf('policy-violation')).toBe(2004);
    expect(classOf('forbidden-tool-call')).toBe(2004);
    expect(classOf('authentication-failure')).toBe(3002);
    expect(classOf('revoked-key-use')).toBe(3002);
    expect(classOf('budget-limit-breach')).toBe(6003);
    expect(toOcsfApiActivity(fixture('guardrail-violation')).class_uid).toBe(6003);
  });

  it('compute type_uid as class_uid * 100 + activity_id', () => {
    for (const f of fixtures) {
      for (const r of [toOcsf(f.event), toOcsfApiActivity(f.event)]) {
        expect(r.type_uid).toBe((r.class_uid as number) * 100 + (r.activity_id as number));
      }
    }
  });

  it('carry the time in epoch milliseconds, the event id as metadata.uid and the trace as correlation_uid', () => {
    const e = fixture('guardrail-violation');
    const r = toOcsf(e);
    expect(r.time).toBe(e.time_ms);
    expect(r.metadata).toMatchObject({
      version: OCSF_SCHEMA_VERSION,
      product: { name: 'llmops', vendor_name: 'llmops', version: SIEM_PRODUCT_VERSION },
      uid: e.event_id,
      correlation_uid: e.trace_id,
      tenant_uid: e.tenant_id,
    });
  });

  it('give the API Activity audit record of a finding its own uid, so a SIEM deduping on metadata.uid keeps both', () => {
    const e = fixture('guardrail-violation');
    expect((toOcsfApiActivity(e).metadata as { uid: string }).uid).toBe(`${e.event_id}:api`);
    const budget = fixture('budget-limit-breach');
    expect((toOcsfApiActivity(budget).metadata as { uid: string }).uid).toBe(budget.event_id);
  });

  it.each([
    ['unknown', 0],
    ['info', 1],
    ['low', 2],
    ['medium', 3],
    ['high', 4],
    ['critical', 5],
  ] as const)('map severity %s to severity_id %i', (severity, id) => {
    const r = toOcsf({ ...fixture('guardrail-violation'), severity });
    expect(r.severity_id).toBe(id);
    expect(ocsfSchema().validate(r)).toEqual([]);
  });

  it.each(['allowed', 'blocked', 'redacted', 'unknown'] as const)(
    'map outcome %s to a valid action and disposition in every class',
    (outcome) => {
      for (const f of fixtures) {
        expect(ocsfSchema().validate(toOcsf({ ...f.event, outcome }))).toEqual([]);
        expect(ocsfSchema().validate(toOcsfApiActivity({ ...f.event, outcome }))).toEqual([]);
      }
    },
  );

  it('stay valid for every category with only the required fields set', () => {
    const minimal: SecurityEvent = {
      ...fixture('other'),
      actor: {
        user_id: null,
        app_id: null,
        agent_id: null,
        agent_name: null,
        api_key_id: null,
        source_ip: null,
        user_agent: null,
      },
      tenant_id: null,
    };
    for (const category of Object.keys(OCSF_CLASS_BY_CATEGORY) as Array<
      SecurityEvent['category']
    >) {
      expect(ocsfSchema().validate(toOcsf({ ...minimal, category }))).toEqual([]);
      expect(ocsfSchema().validate(toOcsfApiActivity({ ...minimal, category }))).toEqual([]);
    }
  });

  it('leave an invalid client address out of ip_t fields and a non-standard method out of http_method', () => {
    const e = fixture('guardrail-violation');
    const r = toOcsf({
      ...e,
      actor: { ...e.actor, source_ip: '203.0.113.7, 10.0.0.1' },
      target: { ...e.target, http_method: 'BREW' },
    });
    expect(ocsfSchema().validate(r)).toEqual([]);
    expect(JSON.stringify(r.evidences)).not.toContain('"ip"');
    expect(JSON.stringify(r.evidences)).not.toContain('http_method');
  });

  it('stay valid with hostile strings in every field', () => {
    const e = eventWithEveryString('"},"class_uid":1,"x":"\n]|\\=');
    const finding = toOcsf(e);
    const audit = toOcsfApiActivity(e);
    expect(ocsfSchema().validate(finding)).toEqual([]);
    expect(ocsfSchema().validate(audit)).toEqual([]);
    expect([finding.class_uid, audit.class_uid]).toEqual([2004, 6003]);
    expect((finding.metadata as { uid: string }).uid).toBe(e.event_id);
  });

  it('render as one line of JSON', () => {
    const line = formatOcsf(eventWithEveryString('a\nb\u2028c'));
    expect(line).not.toMatch(/[\n\r]/);
    expect(JSON.parse(line)).toEqual(toOcsf(eventWithEveryString('a\nb\u2028c')));
  });
});

describe('the OCSF validator used by these tests', () => {
  const valid = () => toOcsf(fixture('sensitive-data-exposure'));

  it('reports a missing required attribute', () => {
    const r = valid();
    delete r.finding_info;
    expect(ocsfSchema().validate(r)).toContain('finding_info: required by data_security_finding');
  });

  it('reports an attribute the class does not define', () => {
    expect(ocsfSchema().validate({ ...valid(), llmops_category: 'x' })).toEqual([
      'llmops_category: not an attribute of class data_security_finding',
    ]);
  });

  it('reports a profile attribute when the profile is not listed', () => {
    const r = valid();
    (r.metadata as { profiles: string[] }).profiles = [];
    expect(ocsfSchema().validate(r)).toContain(
      'action_id: attribute of profile security_control, which metadata.profiles does not list',
    );
  });

  it('reports an enum value the schema does not define and a wrong caption', () => {
    const errors = ocsfSchema().validate({ ...valid(), severity_id: 7 });
    expect(errors.some((e) => e.startsWith('severity_id: 7 is not one of'))).toBe(true);
    expect(ocsfSchema().validate({ ...valid(), action: 'Allowed' })).toEqual([
      'action: "Allowed" is not the caption "Modified" of action_id 4',
    ]);
  });

  it('reports wrong types, a broken type_uid and an unmet object constraint', () => {
    const r = valid();
    r.time = '2025-11-24T16:00:00Z';
    r.type_uid = 200601 + 1;
    r.actor = { authorizations: [] };
    const errors = ocsfSchema().validate(r);
    expect(errors).toContain('time: must be an integer (timestamp_t), got "2025-11-24T16:00:00Z"');
    expect(errors).toContain('type_uid: expected 200601, got 200602');
    expect(errors.some((e) => e.startsWith('actor: actor needs at least one of'))).toBe(true);
  });

  it('reports a regex violation of a data type', () => {
    const r = toOcsf(fixture('guardrail-violation'));
    (r.evidences as Array<{ src_endpoint: { ip: string } }>)[0]!.src_endpoint.ip = 'not-an-ip';
    expect(
      ocsfSchema()
        .validate(r)
        .some((e) => e.startsWith('evidences[0].src_endpoint.ip: must be a string matching')),
    ).toBe(true);
  });
});
