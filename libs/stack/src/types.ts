import type { StackComponent } from './errors';

/** TCP ports on 127.0.0.1. */
export interface StackPorts {
  /** @default 9092 */
  kafka: number;
  /** The KRaft controller listener. @default 9093 */
  kafkaController: number;
  /** @default 8123 */
  clickhouseHttp: number;
  /** @default 9000 */
  clickhouseTcp: number;
  /** @default 6379 */
  redis: number;
}

export interface StackOptions {
  /** The folder with nx.json (see findRepoRoot). */
  repoRoot: string;
  /** Where jars, data, logs and pid files live. @default `<repoRoot>/.cache` */
  cacheDir?: string;
  ports?: Partial<StackPorts>;
  /** Progress lines (one per step). @default no output */
  log?: (line: string) => void;
  /** How long each server may take to become ready. @default 120000 */
  readyTimeoutMs?: number;
  /** Which servers `stackUp`/`stackDown` handle. @default all three */
  components?: readonly StackComponent[];
  /** Install what is missing (ClickHouse from apt). When false, say how instead. @default true */
  install?: boolean;
  /** Kafka JVM heap, of each broker. @default 512 for one broker, 384 for each of a cluster */
  kafkaHeapMb?: number;
  /**
   * How many Kafka brokers: 1, or a KRaft cluster (e.g. 3) whose node N listens on
   * `ports.kafka + 2(N-1)` (controller `ports.kafkaController + 2(N-1)`), with data in
   * `<cacheDir>/kafka/cluster/node-N`. @default 1
   */
  kafkaBrokerCount?: number;
  /** Where the Kafka jars are resolved to. @default `<cacheDir>/kafka/libs` */
  kafkaJarsDir?: string;
}

export interface StackEndpoints {
  /** e.g. "127.0.0.1:9092"; a cluster's brokers comma-separated */
  kafkaBrokers: string;
  /** e.g. "http://127.0.0.1:8123" */
  clickhouseUrl: string;
  /** e.g. "redis://127.0.0.1:6379" */
  redisUrl: string;
}

export interface ComponentStatus {
  component: StackComponent;
  /** The broker's `node.id` when Kafka runs as a cluster (one status per broker). */
  node?: number;
  running: boolean;
  /** Set when this stack started the server (it has a pid file in the cache folder). */
  pid?: number;
  endpoint: string;
  detail?: string;
}
