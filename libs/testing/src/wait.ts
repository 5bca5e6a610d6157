import { randomUUID } from 'node:crypto';

/** A name no other test run uses: topics, consumer groups, databases, key prefixes. */
export function uniqueName(prefix = 't'): string {
  return `${prefix}-${randomUUID()}`;
}

/** A ClickHouse-safe unique identifier (letters, digits, underscores). */
export function uniqueIdentifier(prefix = 't'): string {
  return `${prefix}_${randomUUID().replace(/-/g, '')}`;
}

/**
 * Polls `probe` until it returns a value other than `undefined`/`false`, or
 * fails after `timeoutMs` saying what it was waiting for and the last result.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 60_000, intervalMs = 200 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const result = await probe();
      if (result !== undefined && result !== false) return result;
      last = result;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${detail})`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
