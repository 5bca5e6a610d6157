import { randomBytes } from 'node:crypto';

export interface KafkaNodeConfig {
  port: number;
  controllerPort: number;
  /** Holds the partitions and the KRaft metadata log. */
  dataDir: string;
  /** @default 1 */
  nodeId?: number;
  /** Extra or overriding broker properties. */
  overrides?: Readonly<Record<string, string | number | boolean>>;
}

/**
 * The broker properties of a single-node KRaft Kafka on loopback, tuned for tests: every
 * internal topic has replication factor 1 (else a kafkajs consumer loops on "The group
 * coordinator is not available"), groups rebalance without delay, topics are created
 * explicitly, and the log cleaner's buffer fits in a small heap.
 */
export function kafkaProperties(config: KafkaNodeConfig): Record<string, string> {
  const nodeId = config.nodeId ?? 1;
  const base: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': nodeId,
    'controller.quorum.voters': `${nodeId}@127.0.0.1:${config.controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${config.port},CONTROLLER://127.0.0.1:${config.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${config.port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': config.dataDir,
    'num.partitions': 3,
    'default.replication.factor': 1,
    'min.insync.replicas': 1,
    'offsets.topic.replication.factor': 1,
    'offsets.topic.num.partitions': 3,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'transaction.state.log.num.partitions': 3,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
    'share.coordinator.state.topic.num.partitions': 3,
    'group.initial.rebalance.delay.ms': 0,
    'auto.create.topics.enable': false,
    'delete.topic.enable': true,
    'num.network.threads': 2,
    'num.io.threads': 4,
    'num.recovery.threads.per.data.dir': 1,
    'log.cleaner.dedupe.buffer.size': 16 * 1024 * 1024,
    'log.retention.hours': 168,
    'log.segment.bytes': 64 * 1024 * 1024,
  };
  const merged = { ...base, ...config.overrides };
  return Object.fromEntries(Object.entries(merged).map(([key, value]) => [key, String(value)]));
}

/** A Java .properties file: `key=value` lines, with the characters that format reserves escaped. */
export function renderProperties(
  properties: Readonly<Record<string, string>>,
  header?: string,
): string {
  const lines = header === undefined ? [] : header.split('\n').map((line) => `# ${line}`);
  for (const [key, value] of Object.entries(properties)) {
    lines.push(`${escapeKey(key)}=${escapeValue(value)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A cluster id as Kafka's `Uuid.randomUuid()` makes them: 16 random bytes, base64url, unpadded, not starting with "-". */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function escapeValue(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/^ /, '\\ ');
}

function escapeKey(key: string): string {
  return escapeValue(key).replace(/([=: #!])/g, '\\$1');
}
