import { randomBytes } from 'node:crypto';
import { StackConfigError } from '../errors';

/** One controller of a KRaft quorum. */
export interface KafkaVoter {
  nodeId: number;
  controllerPort: number;
}

export interface KafkaNodeConfig {
  port: number;
  controllerPort: number;
  /** Holds the partitions and the KRaft metadata log. */
  dataDir: string;
  /** @default 1 */
  nodeId?: number;
  /**
   * Every controller of the cluster, this node among them (each node here is broker and
   * controller). @default this node alone: a single-node cluster
   */
  voters?: readonly KafkaVoter[];
  /** Extra or overriding broker properties. */
  overrides?: Readonly<Record<string, string | number | boolean>>;
}

/**
 * Replication of the internal and default topics on a cluster of `nodes` brokers: 3 copies
 * where there are three brokers or more (one may be lost with no write refused), and at
 * least 2 in sync for a write once there are two copies.
 */
export function clusterReplication(nodes: number): {
  replicationFactor: number;
  minInsyncReplicas: number;
} {
  const replicationFactor = Math.max(1, Math.min(3, nodes));
  return { replicationFactor, minInsyncReplicas: Math.min(2, replicationFactor) };
}

/**
 * The broker properties of a KRaft Kafka node on loopback (broker and controller in one
 * process), tuned for tests. Alone (no `voters`), every internal topic has replication
 * factor 1 (else a kafkajs consumer loops on "The group coordinator is not available"). In a
 * cluster of three or more, internal and default topics get 3 replicas with 2 in sync
 * (see clusterReplication), and a killed broker is fenced after a few seconds rather than
 * Kafka's 9. Groups rebalance without delay, topics are created explicitly, and the log
 * cleaner's buffer fits in a small heap.
 */
export function kafkaProperties(config: KafkaNodeConfig): Record<string, string> {
  const nodeId = config.nodeId ?? 1;
  const voters = config.voters ?? [{ nodeId, controllerPort: config.controllerPort }];
  if (!voters.some((v) => v.nodeId === nodeId && v.controllerPort === config.controllerPort)) {
    throw new StackConfigError(
      `node ${nodeId} (controller port ${config.controllerPort}) is not among the quorum voters ${quorumVoters(voters)}`,
    );
  }
  const { replicationFactor: rf, minInsyncReplicas: isr } = clusterReplication(voters.length);
  const cluster: Record<string, string | number | boolean> =
    voters.length > 1
      ? {
          // Fence a dead broker (and drop it from every ISR) after 4 s instead of 9 s.
          'broker.heartbeat.interval.ms': 1_000,
          'broker.session.timeout.ms': 4_000,
          'replica.lag.time.max.ms': 10_000,
        }
      : {};
  const base: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': nodeId,
    'controller.quorum.voters': quorumVoters(voters),
    listeners: `PLAINTEXT://127.0.0.1:${config.port},CONTROLLER://127.0.0.1:${config.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${config.port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': config.dataDir,
    'num.partitions': 3,
    'default.replication.factor': rf,
    'min.insync.replicas': isr,
    'offsets.topic.replication.factor': rf,
    'offsets.topic.num.partitions': 3,
    'transaction.state.log.replication.factor': rf,
    'transaction.state.log.min.isr': isr,
    'transaction.state.log.num.partitions': 3,
    'share.coordinator.state.topic.replication.factor': rf,
    'share.coordinator.state.topic.min.isr': isr,
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
    ...cluster,
  };
  const merged = { ...base, ...config.overrides };
  return Object.fromEntries(Object.entries(merged).map(([key, value]) => [key, String(value)]));
}

/** `controller.quorum.voters`: `id@127.0.0.1:port` for each controller, comma-separated. */
export function quorumVoters(voters: readonly KafkaVoter[]): string {
  return voters.map((v) => `${v.nodeId}@127.0.0.1:${v.controllerPort}`).join(',');
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
