import { setTimeout as sleep } from 'node:timers/promises';
import { describeError, StackError } from './errors';

/** What a readiness probe says: ready (with a value), or not yet (and why). */
export type ProbeResult<T> = { ready: true; value: T } | { ready: false; reason: string };

export const ready = <T>(value: T): ProbeResult<T> => ({ ready: true, value });
export const notReady = (reason: string): ProbeResult<never> => ({ ready: false, reason });

export class WaitTimeoutError extends StackError {
  constructor(
    readonly what: string,
    readonly lastReason: string,
    timeoutMs: number,
  ) {
    super(
      `gave up waiting for ${what} after ${Math.round(timeoutMs / 1000)} s (last: ${lastReason})`,
      {
        retriable: true,
      },
    );
  }
}

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Checked before every attempt: a string ends the wait at once with that reason. */
  abortIf?: () => Promise<string | undefined>;
}

/** Polls `probe` until it is ready; a throwing probe counts as "not yet". */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<ProbeResult<T>>,
  options: WaitOptions,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastReason = 'no attempt finished';
  for (;;) {
    const aborted = await options.abortIf?.();
    if (aborted !== undefined) throw new StackError(`stopped waiting for ${what}: ${aborted}`);
    try {
      const result = await probe();
      if (result.ready) return result.value;
      lastReason = result.reason;
    } catch (err) {
      lastReason = describeError(err);
    }
    if (Date.now() >= deadline) throw new WaitTimeoutError(what, lastReason, options.timeoutMs);
    await sleep(options.intervalMs ?? 250);
  }
}
