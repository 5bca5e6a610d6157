import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ComponentNotReadyError, PortInUseError } from '../errors';
import { canConnect } from '../net';
import { ownedPid, removeFile, stopProcess } from '../process';
import { runCommand } from '../run';
import { waitFor } from '../wait';
import { probeRedis } from './probe';

export interface LocalRedisOptions {
  /** pid file, log and working folder. */
  dir: string;
  port: number;
  log?: (line: string) => void;
  /** @default 120000 */
  readyTimeoutMs?: number;
}

export type RedisUpResult = 'reused' | 'started';

/**
 * The stack's Redis: any Redis that answers PING on the port is used as it is (the machine's
 * own usually runs on 6379); otherwise one is started like it (loopback, nothing kept on disk),
 * and only that one is ever stopped.
 */
export class LocalRedis {
  readonly url: string;
  readonly logFile: string;
  private readonly pidFile: string;
  private readonly log: (line: string) => void;

  constructor(private readonly options: LocalRedisOptions) {
    this.url = `redis://127.0.0.1:${options.port}`;
    this.pidFile = path.join(path.resolve(options.dir), 'redis.pid');
    this.logFile = path.join(path.resolve(options.dir), 'redis.log');
    this.log = options.log ?? (() => undefined);
  }

  /** The pid of the Redis this stack started, when it runs. */
  async runningPid(): Promise<number | undefined> {
    return ownedPid(
      this.pidFile,
      (argv) =>
        (argv[0] ?? '').includes('redis-server') &&
        argv.join(' ').includes(`:${this.options.port}`),
    );
  }

  async up(): Promise<RedisUpResult> {
    const answer = await probeRedis(this.options.port);
    if (answer.ready) return 'reused';
    if (await canConnect(this.options.port))
      throw new PortInUseError(this.options.port, 'redis', answer.reason);

    await mkdir(path.resolve(this.options.dir), { recursive: true });
    const started = Date.now();
    await runCommand('redis-server', [
      '--daemonize',
      'yes',
      '--bind',
      '127.0.0.1',
      '--port',
      String(this.options.port),
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      path.resolve(this.options.dir),
      '--pidfile',
      this.pidFile,
      '--logfile',
      this.logFile,
    ]).catch((cause: unknown) => {
      throw new ComponentNotReadyError(
        'redis',
        this.options.port,
        [this.logFile],
        'could not be started (is redis-server installed? apt-get install -y redis-server)',
        {
          cause,
          retriable: false,
        },
      );
    });
    try {
      await waitFor(`Redis PING on ${this.options.port}`, () => probeRedis(this.options.port), {
        timeoutMs: this.options.readyTimeoutMs ?? 120_000,
      });
    } catch (cause) {
      throw new ComponentNotReadyError(
        'redis',
        this.options.port,
        [this.logFile],
        'did not answer PING',
        { cause },
      );
    }
    this.log(
      `redis: started on ${this.url} after ${Date.now() - started} ms (log: ${this.logFile})`,
    );
    return 'started';
  }

  /** Stops the Redis this stack started; a Redis it did not start is left alone. */
  async down(): Promise<boolean> {
    const pid = await this.runningPid();
    if (pid === undefined) return false;
    const result = await stopProcess(pid, 10_000);
    await removeFile(this.pidFile);
    this.log(`redis: ${result.outcome} pid ${pid} in ${result.ms} ms`);
    return true;
  }
}
