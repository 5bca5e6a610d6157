import type { Logger } from 'pino';
import { createLogger } from './logger';

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
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

/** What every service's `main.ts` runs: configuration, logger, start, signals. */
export interface ServiceMain<C extends { LOG_LEVEL: string; LOG_FORMAT: 'json' | 'pretty' }> {
  name: string;
  /** Reads and validates the environment; throws ConfigError on a bad value. */
  loadConfig(): C;
  start(config: C, logger: Logger): Promise<{ close(): Promise<unknown> }>;
  /** A line to log once started, e.g. where it listens. */
  started?(app: { close(): Promise<unknown> }, logger: Logger): Promise<void> | void;
}

/**
 * Starts a service process: a bad configuration prints the ConfigError's
 * message alone (it says what to fix) and exits 1; a start failure prints
 * its stack and exits 1; once running, SIGTERM/SIGINT drain and exit 0.
 */
export function runService<C extends { LOG_LEVEL: string; LOG_FORMAT: 'json' | 'pretty' }>(
  s: ServiceMain<C>,
): void {
  Promise.resolve()
    .then(async () => {
      const config = s.loadConfig();
      const logger = createLogger(s.name, { level: config.LOG_LEVEL, format: config.LOG_FORMAT });
      const app = await s.start(config, logger);
      exitCleanlyOnSignals(() => app.close(), logger);
      await s.started?.(app, logger);
    })
    .catch((err: unknown) => {
      const e = err as Error;
      process.stderr.write(
        e?.name === 'ConfigError'
          ? `${e.message}\n`
          : `${s.name} failed to start: ${e?.stack ?? String(err)}\n`,
      );
      process.exit(1);
    });
}
