import { ConfigResourceTypes, type Admin, type ITopicConfig } from 'kafkajs';
import { RECORD_LIMITS, dlqTopic, type TopicNames } from '@llmops/contracts';

export interface TopicSpec {
  name: string;
  partitions: number;
  replicationFactor: number;
  config: Record<string, string>;
}

export interface TopicSettings {
  partitions: number;
  replicationFactor: number;
  /** Retention of the raw invocations topic, the only place raw text lives. */
  rawRetentionMs: number;
  /** SIEM formats whose `llmops.siem.<format>.v1` topic is created. @default ['ocsf'] */
  siemFormats?: ReadonlyArray<'ocsf' | 'cef' | 'ecs'>;
}

const WEEK_MS = 7 * 86_400_000;

/** Every topic the platform uses, with its DLQ (ARCHITECTURE.md, "Topics"). */
export function platformTopics(topics: TopicNames, s: TopicSettings): TopicSpec[] {
  const data = (name: string, retentionMs: number): TopicSpec => ({
    name,
    partitions: s.partitions,
    replicationFactor: s.replicationFactor,
    config: {
      'retention.ms': String(retentionMs),
      'min.insync.replicas': String(Math.min(2, s.replicationFactor)),
      'max.message.bytes': String(RECORD_LIMITS.topicMaxMessageBytes),
    },
  });
  const withDlq = (spec: TopicSpec): TopicSpec[] => [
    spec,
    {
      ...spec,
      name: dlqTopic(spec.name),
      config: { ...spec.config, 'retention.ms': String(4 * WEEK_MS) },
    },
  ];
  return [
    ...withDlq(data(topics.invocations, s.rawRetentionMs)),
    ...withDlq(data(topics.invocationsRedacted, WEEK_MS)),
    ...withDlq(data(topics.piiFindings, WEEK_MS)),
    ...withDlq(data(topics.guardrailFindings, WEEK_MS)),
    ...withDlq(data(topics.securityEvents, 4 * WEEK_MS)),
    ...siemTopics(topics, s.siemFormats ?? ['ocsf']).map((name) => data(name, 4 * WEEK_MS)),
    data(topics.budgetEvents, 4 * WEEK_MS),
    ...[
      topics.controlApiKeys,
      topics.controlBudgets,
      topics.controlGatewayRoutes,
      topics.controlGuardrailRules,
      topics.controlDlqReplays,
    ].map((name) => ({
      name,
      partitions: 1,
      replicationFactor: s.replicationFactor,
      config: {
        'cleanup.policy': 'compact',
        'min.insync.replicas': String(Math.min(2, s.replicationFactor)),
        'max.message.bytes': String(RECORD_LIMITS.topicMaxMessageBytes),
      },
    })),
  ];
}

/** The SIEM topics (what the SOC consumes) of the given formats. */
export function siemTopics(
  topics: TopicNames,
  formats: ReadonlyArray<'ocsf' | 'cef' | 'ecs'>,
): string[] {
  const byFormat = { ocsf: topics.siemOcsf, cef: topics.siemCef, ecs: topics.siemEcs };
  return formats.map((f) => byFormat[f]);
}

/**
 * Creates the topics that do not exist yet and brings the settings of the
 * existing ones up to their spec (an upgrade that raises `max.message.bytes`
 * reaches topics made by an older version). Partition counts and
 * replication factors of existing topics are left alone. Returns the names
 * it created.
 */
export async function ensureTopics(admin: Admin, specs: TopicSpec[]): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !existing.has(s.name));
  const present = specs.filter((s) => existing.has(s.name));
  if (present.length > 0) await reconcileConfigs(admin, present);
  if (missing.length === 0) return [];
  const topics: ITopicConfig[] = missing.map((s) => ({
    topic: s.name,
    numPartitions: s.partitions,
    replicationFactor: s.replicationFactor,
    configEntries: Object.entries(s.config).map(([name, value]) => ({ name, value })),
  }));
  await admin.createTopics({ topics, waitForLeaders: true });
  return missing.map((s) => s.name);
}

// Kafka's DescribeConfigs source of a setting made on the topic itself.
const DYNAMIC_TOPIC_CONFIG = 1;

async function reconcileConfigs(admin: Admin, specs: TopicSpec[]): Promise<void> {
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: specs.map((s) => ({ type: ConfigResourceTypes.TOPIC, name: s.name })),
  });
  const byName = new Map(described.resources.map((r) => [r.resourceName, r.configEntries]));
  const changes = specs.flatMap((spec) => {
    const entries = byName.get(spec.name) ?? [];
    const current = new Map(entries.map((e) => [e.configName, e.configValue]));
    if (Object.entries(spec.config).every(([k, v]) => current.get(k) === v)) return [];
    // AlterConfigs replaces a topic's whole dynamic config: keep what an operator set.
    const kept = entries
      .filter((e) => (e as { configSource?: number }).configSource === DYNAMIC_TOPIC_CONFIG)
      .filter((e) => !(e.configName in spec.config))
      .map((e) => ({ name: e.configName, value: e.configValue }));
    const ours = Object.entries(spec.config).map(([name, value]) => ({ name, value }));
    return [
      { type: ConfigResourceTypes.TOPIC, name: spec.name, configEntries: [...kept, ...ours] },
    ];
  });
  if (changes.length > 0) await admin.alterConfigs({ validateOnly: false, resources: changes });
}
