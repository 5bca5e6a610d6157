import { open, readFile, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { StackError } from './errors';
import { isAlive } from './process';

/**
 * Runs `work` while holding an exclusive lock file, so that two `stackUp`/`stackDown` calls
 * (two terminals, two Jest global setups) never start the same server twice. A lock left by a
 * process that died is taken over.
 */
export async function withFileLock<T>(
  file: string,
  timeoutMs: number,
  work: () => Promise<T>,
): Promise<T> {
  await acquire(file, timeoutMs);
  try {
    return await work();
  } finally {
    await rm(file, { force: true });
  }
}

async function acquire(file: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new StackError(`Cannot create the lock file ${file}`, { cause: err });
      }
    }
    const holder = Number.parseInt((await readFile(file, 'utf8').catch(() => '')).trim(), 10);
    const abandoned =
      Number.isInteger(holder) && holder > 0
        ? !(await isAlive(holder))
        : await olderThan(file, 5_000);
    if (abandoned) {
      await rm(file, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new StackError(
        `Another stack up/down (pid ${Number.isNaN(holder) ? 'unknown' : holder}) still holds ${file} after ${Math.round(timeoutMs / 1000)} s`,
        { retriable: true },
      );
    }
    await sleep(200);
  }
}

/** An unreadable or empty lock file that stays so for seconds was left by a process that died while creating it. */
async function olderThan(file: string, ms: number): Promise<boolean> {
  const info = await stat(file).catch(() => undefined);
  return info !== undefined && Date.now() - info.mtimeMs > ms;
}
