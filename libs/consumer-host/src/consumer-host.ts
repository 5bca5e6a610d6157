import type { Logger } from '@llmops/observability';
import type { OwnedResource } from './consumer-service';

/** What the host runs: a `ConsumerRunner` as far as the host is concerned. */
export interface Runnable {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs one consumer service: opens its resources in order, then starts its
 * consumers; stops every consumer (each finishes the batch in hand and
 * commits), then closes the resources in reverse order. A failed start
 * closes what was already opened before it throws, so a service that could
 * not start leaves no connection behind. Its two Nest lifecycle methods let
 * it be a provider as it is.
 */
export class ConsumerHost {
  private readonly log: Logger;
  private opened: OwnedResource[] = [];
  private started: Runnable[] = [];

  constructor(
    private readonly name: string,
    private readonly resources: readonly OwnedResource[],
    private readonly consumers: readonly Runnable[],
    logger: Logger,
  ) {
    this.log = logger.child({ component: 'consumer-host' });
  }

  async start(): Promise<void> {
    try {
      for (const r of this.resources) {
        await r.open();
        this.opened.push(r);
      }
      // A runner that failed half-way (connected, not subscribed) is stopped too.
      this.started = [...this.consumers];
      const results = await Promise.allSettled(this.consumers.map((c) => c.start()));
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
    } catch (err) {
      this.log.error({ err }, `${this.name} could not start`);
      // stop() logs each of its own failures; the start's error is the one to report.
      await this.stop().catch(() => undefined);
      throw err;
    }
    this.log.info({ consumers: this.consumers.length }, `${this.name} consuming`);
  }

  /** Safe to call more than once and after a failed start: it undoes only what was done. */
  async stop(): Promise<void> {
    const consumers = this.started.splice(0);
    const stopped = await Promise.allSettled(consumers.map((c) => c.stop()));
    const failures: unknown[] = stopped.flatMap((s) =>
      s.status === 'rejected' ? [s.reason as unknown] : [],
    );
    for (const err of failures) this.log.error({ err }, 'a consumer did not stop cleanly');
    for (const r of this.opened.splice(0).reverse()) {
      try {
        await r.close();
      } catch (err) {
        failures.push(err);
        this.log.error({ err, resource: r.name }, 'a resource did not close cleanly');
      }
    }
    if (failures.length > 0) {
      throw new AggregateError(
        failures,
        `${this.name}: ${failures.length} step(s) of the shutdown failed`,
      );
    }
  }

  onApplicationBootstrap(): Promise<void> {
    return this.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.stop();
  }
}
