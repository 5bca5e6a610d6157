import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { StackError } from './errors';

export interface DetachedSpawn {
  command: string;
  args: readonly string[];
  /** stdout and stderr are appended to this file. */
  outFile: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Starts a server in its own process group with its output in a file, so that it outlives
 * the calling process (`llmops stack up` returns; `llmops stack down` stops it later).
 */
export async function spawnDetached(spec: DetachedSpawn): Promise<number> {
  await mkdir(path.dirname(spec.outFile), { recursive: true });
  const fd = openSync(spec.outFile, 'a');
  try {
    const child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    }).catch((cause: unknown) => {
      throw new StackError(`Cannot run ${spec.command}: ${(cause as Error).message}`, { cause });
    });
    child.unref();
    if (child.pid === undefined) throw new StackError(`${spec.command} started without a pid`);
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

export async function readPidFile(file: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt((await readFile(file, 'utf8')).trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export async function writePidFile(file: string, pid: number): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${pid}\n`);
}

export async function removeFile(file: string): Promise<void> {
  await rm(file, { force: true });
}

/** True while the process exists and is not a zombie waiting to be reaped. */
export async function isAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The state letter follows the parenthesised command name, which may itself hold spaces.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** The process's argv, or undefined when it is gone. */
export async function commandLine(pid: number): Promise<string[] | undefined> {
  try {
    const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return raw.split('\0').filter((part) => part.length > 0);
  } catch {
    return undefined;
  }
}

/**
 * The pid in `pidFile` when that process is alive and `isOurs` recognises its command line:
 * a recycled pid of an unrelated process is never mistaken for the stack's server.
 */
export async function ownedPid(
  pidFile: string,
  isOurs: (argv: readonly string[]) => boolean,
): Promise<number | undefined> {
  const pid = await readPidFile(pidFile);
  if (pid === undefined || !(await isAlive(pid))) return undefined;
  const argv = await commandLine(pid);
  return argv !== undefined && isOurs(argv) ? pid : undefined;
}

export interface StopResult {
  outcome: 'stopped' | 'killed' | 'not-running';
  ms: number;
}

/** SIGTERM, wait up to `graceMs` for the exit, then SIGKILL and wait again. */
export async function stopProcess(pid: number, graceMs: number): Promise<StopResult> {
  const started = Date.now();
  if (!signal(pid, 'SIGTERM')) return { outcome: 'not-running', ms: 0 };
  if (await waitForExit(pid, graceMs)) return { outcome: 'stopped', ms: Date.now() - started };
  signal(pid, 'SIGKILL');
  if (await waitForExit(pid, 10_000)) return { outcome: 'killed', ms: Date.now() - started };
  throw new StackError(`Process ${pid} survived SIGKILL for 10 s`);
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!(await isAlive(pid))) return true;
    await sleep(100);
  }
  return !(await isAlive(pid));
}

function signal(pid: number, name: NodeJS.Signals): boolean {
  try {
    process.kill(pid, name);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw new StackError(`Cannot send ${name} to process ${pid}`, { cause: err });
  }
}
