import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ComponentNotReadyError, describeError, PortInUseError, StackError } from '../errors';
import { logTail } from '../log-tail';
import { canConnect } from '../net';
import {
  isAlive,
  ownedPid,
  removeFile,
  spawnDetached,
  stopProcess,
  writePidFile,
} from '../process';
import { findRepoRoot } from '../repo-root';
import { runCommand } from '../run';
import { notReady, ready, waitFor } from '../wait';
import { probeCluster, probeGroupCoordinator, verifyGroupJoin } from './probe';
import { kafkaProperties, newClusterId, renderProperties, type KafkaVoter } from './props';

export interface LocalKafkaOptions {
  /** The broker's own folder: properties, data, logs and pid file. */
  dir: string;
  port: number;
  controllerPort: number;
  /** Broker jars (see ensureKafkaJars). */
  jarsDir: string;
  log?: (line: string) => void;
  /** JVM heap. @default 512 */
  heapMb?: number;
  /** Log4j 2 configuration. @default deploy/local/kafka/log4j2.properties of this repository, when found */
  log4jConfigFile?: string;
  /** @default 120000 */
  readyTimeoutMs?: number;
  /** How long SIGTERM may take before SIGKILL. @default 30000 */
  stopTimeoutMs?: number;
  /** @default "java" (Java 17 or newer) */
  java?: string;
  /** Extra or overriding broker properties. */
  overrides?: Readonly<Record<string, string | number | boolean>>;
  /** This node's id in its cluster. @default 1 */
  nodeId?: number;
  /** The cluster's controllers, this node among them (see LocalKafkaCluster). @default this node alone */
  voters?: readonly KafkaVoter[];
  /** The cluster id the storage is formatted with when it is new. @default a fresh one */
  clusterId?: string;
  /**
   * After a fresh start, prove that a kafkajs consumer can join a group (a throwaway topic).
   * A cluster does it once for all its nodes. @default true
   */
  verifyGroupJoin?: boolean;
  /** How log lines name it. @default "kafka" */
  name?: string;
}

/**
 * One KRaft Kafka node (broker and controller) with its own folder and ports, running as a
 * detached process (it outlives the process that started it; its pid is kept in
 * `<dir>/kafka.pid`). Alone it is a single-node cluster; with `voters` it is one node of a
 * LocalKafkaCluster. Tests use it to stop and restart a broker without disturbing the shared one.
 */
export class LocalKafka {
  readonly brokers: string;
  readonly propertiesFile: string;
  readonly dataDir: string;
  readonly logFiles: readonly string[];
  readonly nodeId: number;
  readonly port: number;
  private readonly pidFile: string;
  private readonly outFile: string;
  private readonly logsDir: string;
  private readonly log: (line: string) => void;
  private readonly name: string;

  constructor(private readonly options: LocalKafkaOptions) {
    const dir = path.resolve(options.dir);
    this.brokers = `127.0.0.1:${options.port}`;
    this.propertiesFile = path.join(dir, 'server.properties');
    this.dataDir = path.join(dir, 'data');
    this.logsDir = path.join(dir, 'logs');
    this.pidFile = path.join(dir, 'kafka.pid');
    this.outFile = path.join(dir, 'kafka.out');
    this.logFiles = [path.join(this.logsDir, 'server.log'), this.outFile];
    this.log = options.log ?? (() => undefined);
    this.name = options.name ?? 'kafka';
    this.nodeId = options.nodeId ?? 1;
    this.port = options.port;
  }

  /** The broker's pid when it runs (started from this folder), else undefined. */
  async runningPid(): Promise<number | undefined> {
    return ownedPid(
      this.pidFile,
      (argv) => argv.includes('kafka.Kafka') && argv.includes(this.propertiesFile),
    );
  }

  /** Starts the broker and waits until a consumer group can join; reuses it when it already runs. */
  async start(): Promise<void> {
    const timeoutMs = this.options.readyTimeoutMs ?? 120_000;
    const running = await this.runningPid();
    if (running !== undefined) {
      await this.waitReady(running, timeoutMs, false);
      return;
    }
    await this.assertPortsFree();
    await this.writeProperties();
    if (!this.isFormatted()) await this.format();

    const started = Date.now();
    const pid = await spawnDetached({
      command: this.java,
      args: this.jvmArgs(),
      outFile: this.outFile,
      cwd: this.options.dir,
    });
    await writePidFile(this.pidFile, pid);
    this.log(
      `${this.name}: started pid ${pid} on ${this.brokers} (logs: ${this.logFiles.join(', ')})`,
    );
    try {
      await this.waitReady(pid, timeoutMs, this.options.verifyGroupJoin ?? true);
    } catch (err) {
      await this.stop().catch(() => undefined);
      throw err;
    }
    this.log(`${this.name}: ready on ${this.brokers} after ${Date.now() - started} ms`);
  }

  /**
   * SIGTERM, wait for the exit (SIGKILL after `timeoutMs`). Does nothing when it is not running.
   * @default timeoutMs the stopTimeoutMs option
   */
  async stop(timeoutMs = this.options.stopTimeoutMs ?? 30_000): Promise<void> {
    const pid = await this.runningPid();
    if (pid === undefined) {
      await removeFile(this.pidFile);
      return;
    }
    const result = await stopProcess(pid, timeoutMs);
    await removeFile(this.pidFile);
    this.log(`${this.name}: ${result.outcome} pid ${pid} in ${result.ms} ms`);
  }

  /** True once the data folder holds formatted KRaft storage. */
  isFormatted(): boolean {
    return existsSync(path.join(this.dataDir, 'meta.properties'));
  }

  /** The cluster id the data folder was formatted with, when it was. */
  async formattedClusterId(): Promise<string | undefined> {
    const meta = await readFile(path.join(this.dataDir, 'meta.properties'), 'utf8').catch(
      () => undefined,
    );
    return meta?.match(/^cluster\.id=(.+)$/m)?.[1]?.trim();
  }

  /** Ready when the broker answers Metadata (cheap; no group join). */
  async isReady(): Promise<boolean> {
    return (await probeCluster(this.brokers, 2_000).catch(() => notReady('unreachable'))).ready;
  }

  private get java(): string {
    return this.options.java ?? 'java';
  }

  private renderProperties(): string {
    const properties = kafkaProperties({
      port: this.options.port,
      controllerPort: this.options.controllerPort,
      dataDir: this.dataDir,
      nodeId: this.nodeId,
      ...(this.options.voters === undefined ? {} : { voters: this.options.voters }),
      overrides: this.options.overrides,
    });
    return renderProperties(
      properties,
      'Written by @llmops/stack (LocalKafka) at every start; edits are lost.',
    );
  }

  private jvmArgs(): string[] {
    const heap = this.options.heapMb ?? 512;
    const log4j = this.options.log4jConfigFile ?? defaultLog4jConfig();
    return [
      `-Xms${Math.min(256, heap)}m`,
      `-Xmx${heap}m`,
      // Serial GC: no concurrent GC threads competing for the machine's two cores.
      '-XX:+UseSerialGC',
      '-XX:-UsePerfData',
      '-XX:+ExitOnOutOfMemoryError',
      '-Djava.awt.headless=true',
      `-Dkafka.logs.dir=${this.logsDir}`,
      ...(log4j === undefined ? [] : [`-Dlog4j2.configurationFile=${log4j}`]),
      '-cp',
      path.join(path.resolve(this.options.jarsDir), '*'),
      'kafka.Kafka',
      this.propertiesFile,
    ];
  }

  /**
   * Formats the data folder (KRaft storage with `clusterId`) unless it already is. `start()`
   * does it by itself; a cluster formats all its nodes with one id first.
   */
  async format(clusterId = this.options.clusterId ?? newClusterId()): Promise<void> {
    await this.writeProperties();
    this.log(`${this.name}: formatting ${this.dataDir} (cluster id ${clusterId})`);
    await runCommand(this.java, [
      '-Xmx256m',
      '-XX:+UseSerialGC',
      '-XX:-UsePerfData',
      '-cp',
      path.join(path.resolve(this.options.jarsDir), '*'),
      'kafka.tools.StorageTool',
      'format',
      '--cluster-id',
      clusterId,
      '--config',
      this.propertiesFile,
      '--ignore-formatted',
    ]).catch((cause: unknown) => {
      throw new StackError(
        `Could not format the Kafka storage in ${this.dataDir}: ${describeError(cause)}`,
        {
          component: 'kafka',
          cause,
        },
      );
    });
  }

  private async writeProperties(): Promise<void> {
    await mkdir(this.logsDir, { recursive: true });
    await writeFile(this.propertiesFile, this.renderProperties());
  }

  /** Fails with PortInUseError when its client or controller port is taken. */
  async assertPortsFree(): Promise<void> {
    for (const port of [this.options.port, this.options.controllerPort]) {
      if (await canConnect(port)) {
        const detail = (await this.isReady())
          ? 'a Kafka broker started elsewhere'
          : 'not a Kafka broker of this folder';
        throw new PortInUseError(port, 'kafka', detail);
      }
    }
  }

  private async waitReady(pid: number, timeoutMs: number, verifyJoin: boolean): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const remaining = (): number => Math.max(1_000, deadline - Date.now());
    const abortIf = async (): Promise<string | undefined> =>
      (await isAlive(pid)) ? undefined : `the broker (pid ${pid}) exited`;
    try {
      await waitFor(
        `the Kafka port ${this.options.port}`,
        async () =>
          (await canConnect(this.options.port)) ? ready(true) : notReady('connection refused'),
        { timeoutMs: remaining(), abortIf },
      );
      await waitFor('Kafka metadata', () => probeCluster(this.brokers), {
        timeoutMs: remaining(),
        abortIf,
      });
      await waitFor('the group coordinator', () => probeGroupCoordinator(this.brokers), {
        timeoutMs: remaining(),
        abortIf,
      });
      if (verifyJoin) await verifyGroupJoin(this.brokers, remaining());
    } catch (cause) {
      const exited = !(await isAlive(pid));
      const problem = exited
        ? 'exited while starting'
        : `was not ready within ${Math.round(timeoutMs / 1000)} s`;
      const tail = await logTail(this.outFile, 15);
      throw new ComponentNotReadyError(
        'kafka',
        this.options.port,
        this.logFiles,
        `${problem} (${(cause as Error).message})${tail === '' ? '' : `; end of ${this.outFile}:\n${tail}\n`}`,
        { cause, retriable: !exited },
      );
    }
  }
}

function defaultLog4jConfig(): string | undefined {
  try {
    const file = path.join(
      findRepoRoot(__dirname),
      'deploy',
      'local',
      'kafka',
      'log4j2.properties',
    );
    return existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}
