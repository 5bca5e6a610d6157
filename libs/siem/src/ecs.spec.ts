import { ECS_VERSION } from './constants';
import { formatEcs, toEcs } from './ecs';
import { eventWithEveryString, fixture, loadFixtures } from './testing/fixtures';

// Allowed values of ECS 8.17 (event.kind, event.category with the event.type
// values expected for it, event.outcome).
const KINDS = [
  'alert',
  'asset',
  'enrichment',
  'event',
  'metric',
  'state',
  'pipeline_error',
  'signal',
];
const TYPES_BY_CATEGORY: Record<string, string[]> = {
  api: [
    'access',
    'admin',
    'allowed',
    'change',
    'creation',
    'deletion',
    'denied',
    'end',
    'info',
    'start',
    'user',
  ],
  authentication: ['start', 'end', 'info'],
  intrusion_detection: ['allowed', 'denied', 'info'],
};
const OUTCOMES = ['failure', 'success', 'unknown'];

describe('toEcs', () => {
  it.each(loadFixtures().map((f) => [f.name, f.event] as const))(
    'writes %s with the required ECS fields and allowed categorization values',
    (_name, event) => {
      for (const outcome of ['allowed', 'blocked', 'redacted', 'unknown'] as const) {
        const doc = toEcs({ ...event, outcome }) as {
          '@timestamp': string;
          ecs: { version: string };
          event: {
            kind: string;
            category: string[];
            type: string[];
            outcome: string;
            id: string;
            severity: number;
          };
        };
        expect(doc['@timestamp']).toBe(new Date(event.time_ms).toISOString());
        expect(doc.ecs.version).toBe(ECS_VERSION);
        expect(KINDS).toContain(doc.event.kind);
        expect(OUTCOMES).toContain(doc.event.outcome);
        expect(doc.event.id).toBe(event.event_id);
        expect(Number.isInteger(doc.event.severity)).toBe(true);
        for (const category of doc.event.category) {
          for (const type of doc.event.type) expect(TYPES_BY_CATEGORY[category]).toContain(type);
        }
      }
    },
  );

  it('puts the end user in user.id, the tenant in organization.id and the whole platform event under llmops', () => {
    const e = fixture('sensitive-data-exposure');
    const doc = toEcs(e);
    expect(doc).toMatchObject({
      user: { id: 'u-1842' },
      organization: { id: 'acme' },
      trace: { id: e.trace_id },
      llmops: {
        event_id: e.event_id,
        category: 'sensitive_data_exposure',
        sensitive_data: {
          entity_types: ['EMAIL', 'CREDIT_CARD', 'AWS_ACCESS_KEY'],
          finding_count: 3,
        },
      },
    });
  });

  it('reports failed authentication as an authentication event with outcome failure', () => {
    expect(toEcs(fixture('revoked-key-use')).event).toMatchObject({
      kind: 'event',
      category: ['authentication'],
      type: ['start'],
      outcome: 'failure',
    });
  });

  it('leaves an invalid client address out of source.ip (an ip field Elasticsearch would reject)', () => {
    const e = fixture('guardrail-violation');
    const doc = toEcs({ ...e, actor: { ...e.actor, source_ip: 'unknown' } });
    expect(doc.source).toBeUndefined();
    expect((doc.llmops as { actor: { source_ip: string } }).actor.source_ip).toBe('unknown');
  });

  it('does not let a user id add or replace a JSON key', () => {
    const e = fixture('guardrail-violation');
    const hostile = 'mallory","id":"admin"},"organization":{"id":"other-tenant';
    const parsed = JSON.parse(formatEcs({ ...e, actor: { ...e.actor, user_id: hostile } })) as {
      user: { id: string };
      organization: { id: string };
    };
    expect(parsed.user).toEqual({ id: hostile });
    expect(parsed.organization).toEqual({ id: 'acme' });
  });

  it('keeps every value intact and the document on one line with hostile strings everywhere', () => {
    const hostile = '"}\n{"event":{"outcome":"success"},"x":"\u2028\u0000\\';
    const line = formatEcs(eventWithEveryString(hostile));
    expect(line).not.toMatch(/[\r\n]/);
    const doc = JSON.parse(line) as { event: { outcome: string }; user: { id: string } };
    expect(doc.event.outcome).toBe('failure');
    expect(doc.user.id).toBe(hostile);
  });
});
