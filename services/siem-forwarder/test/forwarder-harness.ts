import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { securityEventCodec, type SecurityEvent, type TopicNames } from '@llmops/contracts';
import { createKafka } from '@llmops/kafka';
import { createLogger } from '@llmops/observability';
import { createPlatformTopics, testEndpoints, uniqueName } from '@llmops/testing';
import { loadForwarderConfig, startSiemForwarder } from '../src';

export const silent = createLogger('test', { level: process.env.TEST_LOG ?? 'silent' });

/** A guardrail violation of `tenant`, with a fresh stable id. */
export function securityEvent(overrides: Partial<SecurityEvent> = {}): SecurityEvent {
  return {
    ...securityEventCodec.fromJson({
      event_id: randomUUID(),
      time_ms: 1_764_000_001_000,
      category: 'guardrail_violation',
      severity: 'high',
      outcome: 'blocked',
      tenant_id: 'acme',
      reporter: 'gateway',
      actor: { user_id: 'u-1842', app_id: 'support-bot', source_ip: '203.0.113.7' },
      target: { provider: 'openai', model: 'gpt-4o', operation: 'chat', http_method: 'POST' },
      trace_id: '5cf92f3577b34da6a3ce929d0e0e4737',
      rule: { id: 'gr-prompt-injection', name: 'Prompt injection', type: 'prompt_injection' },
    }),
    ...overrides,
  };
}

/** Fresh platform topics on the test cluster, a producer, and forwarders started over them. */
export class ForwarderHarness {
  readonly kafka: Kafka;
  topics!: TopicNames;
  prefix!: string;
  readonly brokers = testEndpoints().kafkaBrokers;
  private readonly apps: INestApplicationContext[] = [];
  private readonly producer;

  constructor() {
    this.kafka = createKafka({
      brokers: this.brokers.split(','),
      clientId: 'siem-forwarder-test',
      logger: silent,
    });
    // Idempotent: kafkajs retries a whole send after a partition's leader moved, and
    // only the broker's idempotence keeps that from writing the other partitions' records twice.
    this.producer = this.kafka.producer({
      allowAutoTopicCreation: false,
      idempotent: true,
      maxInFlightRequests: 1,
    });
  }

  async setUp(): Promise<this> {
    ({ prefix: this.prefix, topics: this.topics } = await createPlatformTopics(this.kafka));
    await this.producer.connect();
    return this;
  }

  /** Environment of a forwarder over this harness's topics, with unique consumer groups. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      KAFKA_BROKERS: this.brokers,
      TOPIC_PREFIX: this.prefix,
      SIEM_KAFKA_GROUP_ID: uniqueName('siem-kafka'),
      SIEM_SYSLOG_GROUP_ID: uniqueName('siem-syslog'),
      SIEM_HEC_GROUP_ID: uniqueName('siem-hec'),
      CONSUMER_RETRY_BASE_MS: '50',
      CONSUMER_MAX_RETRIES: '2',
      LOG_LEVEL: 'silent',
      ...extra,
    };
  }

  async start(extra: Record<string, string> = {}): Promise<INestApplicationContext> {
    const app = await startSiemForwarder(loadForwarderConfig(this.env(extra)), silent);
    this.apps.push(app);
    return app;
  }

  async produce(events: SecurityEvent[]): Promise<void> {
    await this.produceRaw(
      events.map((e) => ({ key: e.tenant_id, value: securityEventCodec.encode(e) })),
    );
  }

  async produceRaw(messages: Array<{ key: string | null; value: Buffer }>): Promise<void> {
    await this.producer.send({ topic: this.topics.securityEvents, acks: -1, messages });
  }

  async close(): Promise<void> {
    await Promise.all(this.apps.splice(0).map((a) => a.close()));
    await this.producer.disconnect();
  }
}
