import { spawn } from 'node:child_process';
import { CommandError, StackError } from './errors';

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
}

/** Runs a program to completion and returns its combined output; throws CommandError on failure. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<string> {
  const shown = [command, ...args].join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      env: options.env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs,
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.once('error', (cause) =>
      reject(new StackError(`Cannot run ${command}: ${cause.message}`, { cause })),
    );
    child.once('close', (code) => {
      const output = Buffer.concat(chunks).toString('utf8');
      if (code === 0) resolve(output);
      else reject(new CommandError(shown, code, output));
    });
  });
}

/** True when `command` can be started (it is on the PATH or an existing path). */
export async function isRunnable(
  command: string,
  probeArgs: readonly string[] = ['--version'],
): Promise<boolean> {
  try {
    await runCommand(command, probeArgs, { timeoutMs: 30_000 });
    return true;
  } catch (err) {
    return err instanceof CommandError;
  }
}
