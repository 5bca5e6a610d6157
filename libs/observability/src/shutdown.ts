import type { Logger } from 'pino';

/**
 * On SIGTERM or SIGINT: runs `close` (stop fetching, flush, commit,
 * disconnect) and exits 0, or 1 if closing failed or took longer than
 * `timeoutMs`. Nest's own shutdown hooks re-raise the signal after closing,
 * so the process would end "killed by SIGTERM" instead of exiting 0.
 */
export function exitCleanlyOnSignals(
  close: () => Promise<unknown>,
  logger: Logger,
  timeoutMs = 30_000,
): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown took too long; exiting');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    close().then(
      () => {
        logger.info('stopped cleanly');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err: err instanceof Error ? err.message : String(err) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
