import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeError, StackConfigError, StackError } from '../errors';
import { LocalKafka, type LocalKafkaOptions } from './local-kafka';
import { verifyGroupJoin } from './probe';
import { newClusterId, type KafkaVoter } from './props';

/** How long a node left without a controller quorum may try to shut down cleanly. */
const QUORUMLESS_GRACE_MS = 5_000;

/** A node's client (PLAINTEXT) and controller ports. */
export interface KafkaNodePorts {
  port: number;
  controllerPort: number;
}

export interface LocalKafkaClusterOptions extends Omit<
  LocalKafkaOptions,
  'dir' | 'port' | 'controllerPort' | 'nodeId' | 'voters' | 'clusterId' | 'verifyGroupJoin' | 'name'
> {
  /** The cluster's folder: node N lives in `<dir>/node-N`. */
  dir: string;
  /** The ports of node 1, 2, … (see clusterNodePorts). */
  nodes: readonly KafkaNodePorts[];
}

/**
 * `count` nodes' ports from node 1's: node N listens on `port + 2(N-1)` and
 * `controllerPort + 2(N-1)`, so the defaults 9092/9093 give 9092/9093, 9094/9095, 9096/9097.
 */
export function clusterNodePorts(
  count: number,
  port: number,
  controllerPort: number,
): KafkaNodePorts[] {
  return Array.from({ length: count }, (_, i) => ({
    port: port + 2 * i,
    controllerPort: controllerPort + 2 * i,
  }));
}

/**
 * A KRaft cluster of LocalKafka nodes on this machine, each broker and controller, sharing
 * one `controller.quorum.voters` list and one cluster id. `start()` formats the new nodes with
 * that id and starts them together (a controller quorum needs a majority up), `stop()` stops
 * them. Internal and default topics get 3 replicas with 2 in sync (kafkaProperties).
 */
export class LocalKafkaCluster {
  readonly nodes: readonly LocalKafka[];
  /** Every broker, comma-separated, as KAFKA_BROKERS takes them. */
  readonly brokers: string;
  private readonly log: (line: string) => void;

  constructor(private readonly options: LocalKafkaClusterOptions) {
    const { nodes, dir, ...shared } = options;
    if (nodes.length === 0) throw new StackConfigError('a Kafka cluster needs at least one node');
    const voters: KafkaVoter[] = nodes.map((n, i) => ({
      nodeId: i + 1,
      controllerPort: n.controllerPort,
    }));
    this.nodes = nodes.map(
      (n, i) =>
        new LocalKafka({
          ...shared,
          dir: path.join(dir, `node-${i + 1}`),
          port: n.port,
          controllerPort: n.controllerPort,
          nodeId: i + 1,
          voters,
          verifyGroupJoin: false,
          name: `kafka node ${i + 1}`,
        }),
    );
    this.brokers = this.nodes.map((n) => n.brokers).join(',');
    this.log = options.log ?? (() => undefined);
  }

  /** Node `id` (1-based, as its `node.id`). */
  node(id: number): LocalKafka {
    const node = this.nodes[id - 1];
    if (node === undefined) {
      throw new StackConfigError(`the cluster has nodes 1-${this.nodes.length}, not ${id}`);
    }
    return node;
  }

  /** Each node's pid when it runs, else undefined (node 1 first). */
  runningPids(): Promise<Array<number | undefined>> {
    return Promise.all(this.nodes.map((n) => n.runningPid()));
  }

  /**
   * Starts the nodes that do not run and waits until every node answers and a consumer group
   * can join; reuses the nodes that already run. When a node fails to start, the nodes this
   * call started are stopped again.
   */
  async start(): Promise<void> {
    const started = Date.now();
    const pids = await this.runningPids();
    const missing = this.nodes.filter((_, i) => pids[i] === undefined);
    // Check every port before spawning any: a half-started quorum only waits for its timeout.
    for (const node of missing) await node.assertPortsFree();
    if (missing.length > 0) {
      const clusterId = await this.clusterId();
      await Promise.all(missing.filter((n) => !n.isFormatted()).map((n) => n.format(clusterId)));
    }
    const outcomes = await Promise.allSettled(this.nodes.map((n) => n.start()));
    const failures = outcomes.flatMap((o) =>
      o.status === 'rejected' ? [o.reason as unknown] : [],
    );
    if (failures.length > 0) {
      await Promise.allSettled(missing.map((n) => n.stop()));
      if (failures.length === 1) throw failures[0];
      throw new StackError(
        `${failures.length} Kafka nodes did not start:\n${failures.map((f) => `- ${describeError(f)}`).join('\n')}`,
        { component: 'kafka', cause: new AggregateError(failures) },
      );
    }
    if (missing.length === 0) return;
    await verifyGroupJoin(this.nodes[0]!.brokers, this.options.readyTimeoutMs ?? 120_000).catch(
      (cause: unknown) => {
        throw new StackError(
          `the Kafka cluster on ${this.brokers} runs, but a consumer could not join a group: ${describeError(cause)}`,
          { component: 'kafka', cause, retriable: true },
        );
      },
    );
    this.log(
      `kafka: ${this.nodes.length}-broker cluster ready on ${this.brokers} after ${Date.now() - started} ms`,
    );
  }

  /**
   * Stops every node, all at once. A broker's clean shutdown needs an active controller, so
   * once fewer than a majority of nodes run, those left cannot finish theirs: after a short
   * grace they are killed (their logs are recovered at the next start).
   */
  async stop(): Promise<void> {
    const pids = await this.runningPids();
    const majority = Math.floor(this.nodes.length / 2) + 1;
    let alive = pids.filter((pid) => pid !== undefined).length;
    let quorumLost = (): void => undefined;
    const lost = new Promise<void>((resolve) => (quorumLost = resolve));
    if (alive < majority) quorumLost();
    const outcomes = await Promise.allSettled(
      this.nodes.map(async (node, i) => {
        if (pids[i] === undefined) return node.stop();
        let stopped = false;
        void lost
          .then(() => sleep(QUORUMLESS_GRACE_MS, undefined, { ref: false }))
          .then(() => (stopped ? undefined : node.stop(0)))
          .catch(() => undefined);
        try {
          await node.stop();
        } finally {
          stopped = true;
          if (--alive < majority) quorumLost();
        }
      }),
    );
    const failed = outcomes.find((o) => o.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }

  /** The id the formatted nodes share, or a new one when none is formatted yet. */
  private async clusterId(): Promise<string> {
    const ids = new Set(
      (await Promise.all(this.nodes.map((n) => n.formattedClusterId()))).filter(
        (id): id is string => id !== undefined,
      ),
    );
    if (ids.size > 1) {
      throw new StackError(
        `the nodes in ${this.options.dir} were formatted for different clusters (${[...ids].join(', ')}); stop them and delete that folder to start over`,
        { component: 'kafka' },
      );
    }
    return [...ids][0] ?? newClusterId();
  }
}
