import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ComponentNotReadyError, PortInUseError, StackError } from '../errors';
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
import { waitFor } from '../wait';
import type { ClickHouseCommand } from './binary';
import { renderClickHouseConfig } from './config';
import { probeClickHouse } from './probe';

export interface LocalClickHouseOptions {
  /** The server's folder in the cache: config.xml, data/, log/, pid file. */
  dir: string;
  httpPort: number;
  tcpPort: number;
  /** deploy/local/clickhouse/config.xml */
  configTemplate: string;
  /** deploy/local/clickhouse/users.xml */
  usersConfig: string;
  log?: (line: string) => void;
  /** @default 120000 */
  readyTimeoutMs?: number;
  /** @default 30000 */
  stopTimeoutMs?: number;
}

/** A ClickHouse server run from the project's config as a detached process (pid in `<dir>/clickhouse.pid`). */
export class LocalClickHouse {
  readonly url: string;
  readonly configFile: string;
  readonly logFiles: readonly string[];
  private readonly pidFile: string;
  private readonly outFile: string;
  private readonly log: (line: string) => void;

  constructor(private readonly options: LocalClickHouseOptions) {
    const dir = path.resolve(options.dir);
    this.url = `http://127.0.0.1:${options.httpPort}`;
    this.configFile = path.join(dir, 'config.xml');
    this.pidFile = path.join(dir, 'clickhouse.pid');
    this.outFile = path.join(dir, 'clickhouse.out');
    this.logFiles = [path.join(dir, 'log', 'clickhouse-server.err.log'), this.outFile];
    this.log = options.log ?? (() => undefined);
  }

  async runningPid(): Promise<number | undefined> {
    return ownedPid(this.pidFile, (argv) => argv.includes(`--config-file=${this.configFile}`));
  }

  /**
   * Starts the server and waits for /ping and SELECT 1; reuses it when it already runs.
   * `binary` is only asked for when a server has to be started (it may install one).
   */
  async start(binary: () => Promise<ClickHouseCommand>): Promise<void> {
    const timeoutMs = this.options.readyTimeoutMs ?? 120_000;
    const running = await this.runningPid();
    if (running !== undefined) {
      await this.waitReady(running, timeoutMs);
      return;
    }
    for (const port of [this.options.httpPort, this.options.tcpPort]) {
      if (await canConnect(port)) {
        const detail = (await this.isReady())
          ? 'a ClickHouse started elsewhere'
          : "not this stack's ClickHouse";
        throw new PortInUseError(port, 'clickhouse', detail);
      }
    }
    const server = await binary();
    await this.writeConfig();
    const started = Date.now();
    const pid = await spawnDetached({
      command: server.command,
      args: [...server.args, `--config-file=${this.configFile}`],
      outFile: this.outFile,
      cwd: this.options.dir,
      env: server.env,
    });
    await writePidFile(this.pidFile, pid);
    this.log(`clickhouse: started pid ${pid} on ${this.url} (logs: ${this.logFiles.join(', ')})`);
    try {
      const version = await this.waitReady(pid, timeoutMs);
      this.log(`clickhouse: ${version} ready on ${this.url} after ${Date.now() - started} ms`);
    } catch (err) {
      await this.stop().catch(() => undefined);
      throw err;
    }
  }

  /** Ready when /ping and SELECT 1 answer (whoever started the server). */
  async isReady(): Promise<boolean> {
    return (await probeClickHouse(this.options.httpPort).catch(() => undefined))?.ready === true;
  }

  async stop(): Promise<void> {
    const pid = await this.runningPid();
    if (pid !== undefined) {
      const result = await stopProcess(pid, this.options.stopTimeoutMs ?? 30_000);
      this.log(`clickhouse: ${result.outcome} pid ${pid} in ${result.ms} ms`);
    }
    await removeFile(this.pidFile);
  }

  private async writeConfig(): Promise<void> {
    const dir = path.resolve(this.options.dir);
    const template = await readFile(this.options.configTemplate, 'utf8').catch((cause: unknown) => {
      throw new StackError(
        `Cannot read the ClickHouse config template ${this.options.configTemplate}`,
        { component: 'clickhouse', cause },
      );
    });
    const config = renderClickHouseConfig(template, {
      httpPort: this.options.httpPort,
      tcpPort: this.options.tcpPort,
      dataDir: path.join(dir, 'data'),
      logDir: path.join(dir, 'log'),
      usersConfig: path.resolve(this.options.usersConfig),
    });
    await mkdir(path.join(dir, 'log'), { recursive: true });
    await mkdir(path.join(dir, 'data'), { recursive: true });
    await writeFile(this.configFile, config);
  }

  private async waitReady(pid: number, timeoutMs: number): Promise<string> {
    try {
      return await waitFor(
        'ClickHouse /ping and SELECT 1',
        () => probeClickHouse(this.options.httpPort),
        {
          timeoutMs,
          abortIf: async () =>
            (await isAlive(pid)) ? undefined : `the server (pid ${pid}) exited`,
        },
      );
    } catch (cause) {
      const exited = !(await isAlive(pid));
      const tail = await logTail(this.logFiles[0] ?? this.outFile, 15);
      throw new ComponentNotReadyError(
        'clickhouse',
        this.options.httpPort,
        this.logFiles,
        `${exited ? 'exited while starting' : `was not ready within ${Math.round(timeoutMs / 1000)} s`} (${(cause as Error).message})` +
          (tail === '' ? '' : `; end of the error log:\n${tail}\n`),
        { cause, retriable: !exited },
      );
    }
  }
}
