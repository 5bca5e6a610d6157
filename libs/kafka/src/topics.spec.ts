import type { Admin } from 'kafkajs';
import { topicNames } from '@llmops/contracts';
import { ensureTopics, platformTopics, type TopicSpec } from './topics';

const DAY_MS = 86_400_000;
const names = topicNames('t1.');
const byName = (specs: TopicSpec[]) => new Map(specs.map((s) => [s.name, s]));

describe('platformTopics', () => {
  const specs = platformTopics(names, {
    partitions: 6,
    replicationFactor: 3,
    rawRetentionMs: 2 * DAY_MS,
  });
  const topics = byName(specs);
  const get = (name: string) => {
    const spec = topics.get(name);
    if (!spec) throw new Error(`no spec for ${name}`);
    return spec;
  };

  it('declares each topic once', () => {
    expect(topics.size).toBe(specs.length);
  });

  it.each([
    names.invocations,
    names.invocationsRedacted,
    names.piiFindings,
    names.guardrailFindings,
    names.securityEvents,
  ])(
    'gives the data topic %s a dead-letter topic with its partitions and four weeks of retention',
    (name) => {
      const dlq = get(`${name}.dlq`);
      expect(dlq.partitions).toBe(6);
      expect(dlq.replicationFactor).toBe(3);
      expect(dlq.config['retention.ms']).toBe(String(28 * DAY_MS));
    },
  );

  it('keeps raw invocations only as long as configured, the other data topics for a week', () => {
    expect(get(names.invocations).config['retention.ms']).toBe(String(2 * DAY_MS));
    expect(get(names.invocationsRedacted).config['retention.ms']).toBe(String(7 * DAY_MS));
    expect(get(names.piiFindings).config['retention.ms']).toBe(String(7 * DAY_MS));
    expect(get(names.guardrailFindings).config['retention.ms']).toBe(String(7 * DAY_MS));
    expect(get(names.securityEvents).config['retention.ms']).toBe(String(28 * DAY_MS));
  });

  it.each([
    names.controlApiKeys,
    names.controlBudgets,
    names.controlGatewayRoutes,
    names.controlGuardrailRules,
  ])(
    'compacts the control topic %s on a single partition, never deletes it by age and gives it no DLQ',
    (name) => {
      const control = get(name);
      expect(control.partitions).toBe(1);
      expect(control.config['cleanup.policy']).toBe('compact');
      expect(control.config).not.toHaveProperty('retention.ms');
      expect(topics.has(`${name}.dlq`)).toBe(false);
    },
  );

  it('gives a DLQ only to topics the platform consumes, and only one', () => {
    const dlqs = specs.filter((s) => s.name.endsWith('.dlq'));
    for (const dlq of dlqs) {
      expect(topics.has(dlq.name.slice(0, -'.dlq'.length))).toBe(true);
      expect(dlq.name.endsWith('.dlq.dlq')).toBe(false);
    }
  });

  it('compacts no other topic', () => {
    const compacted = specs.filter((s) => s.config['cleanup.policy'] === 'compact');
    expect(compacted.map((s) => s.name)).toEqual([
      names.controlApiKeys,
      names.controlBudgets,
      names.controlGatewayRoutes,
      names.controlGuardrailRules,
      names.controlDlqReplays,
    ]);
  });

  it('requires two in-sync replicas on every topic when there are three replicas', () => {
    for (const spec of specs) {
      expect(spec.replicationFactor).toBe(3);
      expect(spec.config['min.insync.replicas']).toBe('2');
    }
  });

  it('requires only the one replica there is on a single-broker cluster', () => {
    const single = platformTopics(names, {
      partitions: 1,
      replicationFactor: 1,
      rawRetentionMs: DAY_MS,
    });
    for (const spec of single) expect(spec.config['min.insync.replicas']).toBe('1');
  });

  it('puts every topic under the prefix', () => {
    for (const spec of specs) expect(spec.name.startsWith('t1.llmops.')).toBe(true);
  });
});

describe('ensureTopics', () => {
  function fakeAdmin(existing: string[]) {
    const admin = {
      listTopics: jest.fn(async () => existing),
      createTopics: jest.fn(async () => true),
      describeConfigs: jest.fn(async ({ resources }: { resources: Array<{ name: string }> }) => ({
        resources: resources.map((r) => ({
          resourceName: r.name,
          configEntries: Object.entries(specs.find((s) => s.name === r.name)!.config).map(
            ([configName, configValue]) => ({ configName, configValue, configSource: 1 }),
          ),
        })),
      })),
      alterConfigs: jest.fn(async () => ({})),
    };
    return { admin, asAdmin: admin as unknown as Admin };
  }
  const specs: TopicSpec[] = [
    { name: 'a', partitions: 3, replicationFactor: 1, config: { 'retention.ms': '1000' } },
    { name: 'b', partitions: 1, replicationFactor: 1, config: { 'cleanup.policy': 'compact' } },
  ];

  it('creates only the missing topics, with their config, and names them', async () => {
    const { admin, asAdmin } = fakeAdmin(['a', 'other']);
    await expect(ensureTopics(asAdmin, specs)).resolves.toEqual(['b']);
    expect(admin.createTopics).toHaveBeenCalledWith({
      waitForLeaders: true,
      topics: [
        {
          topic: 'b',
          numPartitions: 1,
          replicationFactor: 1,
          configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
        },
      ],
    });
  });

  it('creates nothing when every topic exists', async () => {
    const { admin, asAdmin } = fakeAdmin(['a', 'b']);
    await expect(ensureTopics(asAdmin, specs)).resolves.toEqual([]);
    expect(admin.createTopics).not.toHaveBeenCalled();
    expect(admin.alterConfigs).not.toHaveBeenCalled();
  });
});
