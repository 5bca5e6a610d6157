import type { INestApplicationContext } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import {
  guardrailFindingCodec,
  invocationCodec,
  invocationKey,
  securityEventCodec,
  type GuardrailFinding,
  type Invocation,
  type SecurityEvent,
  type TopicNames,
} from '@llmops/contracts';
import { GuardrailRuleStore } from '@llmops/control-plane';
import { loadRules } from '@llmops/guardrails';
import { createKafka } from '@llmops/kafka';
import { createLogger } from '@llmops/observability';
import {
  createPlatformTopics,
  readMessages,
  testEndpoints,
  uniqueName,
  waitFor,
} from '@llmops/testing';
import { loadMonitorConfig, startGuardrailMonitor } from '../src';
import { TEST_RULES_YAML } from '../src/findings/invocation-fixture';

/**
 * Puts rules on the control plane as `llmops guardrails add` does (each rule its tenant's, or
 * deployment-wide without `scope.tenant`); the store numbers their revisions from 1.
 */
export async function writeRules(kafka: Kafka, topic: string, yaml: string): Promise<void> {
  const store = new GuardrailRuleStore(kafka, silent, topic);
  await store.start();
  try {
    for (const rule of loadRules(yaml, 'test rules'))
      await store.put(rule.scope.tenant ?? null, rule, {
        source: 'config_file',
        key_id: null,
        tenant_id: null,
        file: 'test rules',
      });
  } finally {
    await store.stop();
  }
}

export const silent = createLogger('test', { level: process.env.TEST_LOG ?? 'silent' });

/** What one topic holds, decoded, with each record's headers. */
export interface Read<T> {
  value: T;
  key: string | null;
  headers: Record<string, string>;
}

/** Fresh platform topics, a rules file, a producer, and monitors started over them. */
export class MonitorHarness {
  readonly kafka: Kafka;
  topics!: TopicNames;
  prefix!: string;
  readonly brokers = testEndpoints().kafkaBrokers;
  private readonly apps: INestApplicationContext[] = [];
  private readonly producer;

  constructor() {
    this.kafka = createKafka({
      brokers: this.brokers.split(','),
      clientId: 'guardrail-monitor-test',
      logger: silent,
    });
    // Idempotent, so a retried send cannot write one partition's records twice.
    this.producer = this.kafka.producer({
      allowAutoTopicCreation: false,
      idempotent: true,
      maxInFlightRequests: 1,
    });
  }

  async setUp(rulesYaml = TEST_RULES_YAML): Promise<this> {
    ({ prefix: this.prefix, topics: this.topics } = await createPlatformTopics(this.kafka));
    await this.producer.connect();
    await writeRules(this.kafka, this.topics.controlGuardrailRules, rulesYaml);
    return this;
  }

  /** Environment of a monitor over this harness's topics; a unique group unless given. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      KAFKA_BROKERS: this.brokers,
      TOPIC_PREFIX: this.prefix,
      GUARDRAIL_MONITOR_GROUP_ID: uniqueName('monitor'),
      CONSUMER_RETRY_BASE_MS: '50',
      CONSUMER_MAX_RETRIES: '2',
      LOG_LEVEL: 'silent',
      ...extra,
    };
  }

  /** Starts a monitor; resolves with its consumer group. */
  async start(extra: Record<string, string> = {}): Promise<string> {
    const env = this.env(extra);
    this.apps.push(await startGuardrailMonitor(loadMonitorConfig(env), silent));
    return env.GUARDRAIL_MONITOR_GROUP_ID!;
  }

  async produce(invocations: Invocation[]): Promise<void> {
    await this.produceRaw(
      invocations.map((i) => ({
        key: invocationKey(i.tenant_id, i.trace_id),
        value: invocationCodec.encode(i),
      })),
    );
  }

  async produceRaw(messages: Array<{ key: string | null; value: Buffer }>): Promise<void> {
    await this.producer.send({ topic: this.topics.invocations, acks: -1, messages });
  }

  /** Waits until `group` committed every record of the raw topic: its output is then acknowledged. */
  async caughtUp(group: string): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await waitFor(`monitor group ${group} to commit the whole raw topic`, async () => {
        const ends = await admin.fetchTopicOffsets(this.topics.invocations);
        const [committed] = await admin.fetchOffsets({
          groupId: group,
          topics: [this.topics.invocations],
        });
        return ends.every(
          (end) =>
            end.high === '0' ||
            committed!.partitions.find((c) => c.partition === end.partition)?.offset === end.high,
        );
      });
    } finally {
      await admin.disconnect();
    }
  }

  /** Every record on `topic` now (its high watermarks say how many there are). */
  async readAll(topic: string): Promise<Array<Read<Buffer>>> {
    const admin = this.kafka.admin();
    await admin.connect();
    let size: number;
    try {
      size = (await admin.fetchTopicOffsets(topic)).reduce((n, o) => n + Number(o.high), 0);
    } finally {
      await admin.disconnect();
    }
    if (size === 0) return [];
    const got = await readMessages(this.kafka, topic, size, 30_000);
    return got.map((m) => ({ value: m.value!, key: m.key, headers: m.headers }));
  }

  async findings(): Promise<Array<Read<GuardrailFinding>>> {
    return (await this.readAll(this.topics.guardrailFindings)).map((m) => ({
      ...m,
      value: guardrailFindingCodec.decode(m.value),
    }));
  }

  async securityEvents(): Promise<Array<Read<SecurityEvent>>> {
    return (await this.readAll(this.topics.securityEvents)).map((m) => ({
      ...m,
      value: securityEventCodec.decode(m.value),
    }));
  }

  async close(): Promise<void> {
    await Promise.all(this.apps.splice(0).map((a) => a.close()));
    await this.producer.disconnect();
  }
}
