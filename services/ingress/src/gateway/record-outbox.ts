import type { Message } from 'kafkajs';
import { EventPublisher, PublishRejectedError } from '@llmops/kafka';
import type { Logger } from '@llmops/observability';

export interface RecordOutboxOptions {
  /** Records held for Kafka at most; beyond it new calls are refused. @default 10000 */
  maxPending?: number;
  /** Records per publish. @default 500 */
  batch?: number;
  /** First and longest wait between two tries while Kafka does not take records. @default 200, 5000 */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** A publish unanswered this long refuses new calls until Kafka answers. @default 2000 */
  stallAfterMs?: number;
  /**
   * How long a record waits for others to leave with it in one produce request. Records are
   * not on a call's latency path, and one request per record cost the gateway (and the broker)
   * more CPU than everything else it does for a call. @default 5
   */
  lingerMs?: number;
}

/**
 * The gateway's records on their way to Kafka. A call's answer never waits for Kafka: its record
 * is handed over here and published in the background, tried again and again while Kafka is
 * away (the call was made: its record must not be lost), and dropped only when Kafka refuses
 * the record itself (logged and counted). While records wait for a Kafka that does not take
 * them, or the outbox is full, `accepting()` is false and the gateway refuses new calls before
 * it makes them (503), so that no call is made whose record could not be kept.
 */
export class RecordOutbox {
  private readonly pending: Message[] = [];
  private pumping = false;
  /** Set while the last try failed because Kafka was unavailable. */
  private stalledSince: number | undefined;
  /** When the publish in flight began. */
  private pumpStartedAt = 0;
  /** How many of the first pending records the publish in flight holds. */
  private inFlight = 0;
  /** Records already handed to the spool (see spill). */
  private readonly spilled = new WeakSet<Message>();
  private retryMs: number;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly idle: Array<() => void> = [];
  private readonly maxPending: number;
  private readonly batch: number;
  private readonly retryMinMs: number;
  private readonly retryMaxMs: number;
  private readonly stallAfterMs: number;
  private readonly lingerMs: number;

  constructor(
    private readonly publisher: EventPublisher,
    private readonly topic: string,
    private readonly log: Logger,
    private readonly onDropped: (reason: string, count: number) => void,
    opts: RecordOutboxOptions = {},
  ) {
    this.maxPending = opts.maxPending ?? 10_000;
    this.batch = opts.batch ?? 500;
    this.retryMinMs = opts.retryMinMs ?? 200;
    this.retryMaxMs = opts.retryMaxMs ?? 5_000;
    this.retryMs = this.retryMinMs;
    this.stallAfterMs = opts.stallAfterMs ?? 2_000;
    this.lingerMs = opts.lingerMs ?? 5;
  }

  /**
   * Whether a call made now would have its record kept: not while Kafka is failing to take
   * records, nor while a publish has waited longer than `stallAfterMs` (Kafka going away: the
   * publish only fails once its acknowledgement timeout has passed), nor with the outbox full.
   */
  accepting(now = Date.now()): boolean {
    return (
      !this.closed &&
      this.stalledSince === undefined &&
      !(this.pumping && now - this.pumpStartedAt > this.stallAfterMs) &&
      this.pending.length < this.maxPending
    );
  }

  /** Records not yet acknowledged by Kafka. */
  get size(): number {
    return this.pending.length;
  }

  add(message: Message): void {
    if (this.closed) {
      // Only a call that outlived the shutdown's wait gets here: said, counted, never silent.
      this.log.error(
        { eventId: header(message, 'llmops-event-id'), tenant: header(message, 'llmops-tenant') },
        'gateway record lost: it came after the outbox closed at shutdown',
      );
      this.onDropped('shutdown', 1);
      return;
    }
    this.pending.push(message);
    if (this.pumping || this.timer || this.closed) return;
    if (this.lingerMs <= 0 || this.pending.length >= this.batch) return this.pump();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, this.lingerMs);
  }

  /**
   * Waits until every record is acknowledged, for at most `timeoutMs`; resolves with how many
   * are still unacknowledged then. Those go to `rescue` where there is one (the spool), else
   * each is logged by event id: they are lost with this process.
   */
  async close(timeoutMs: number, rescue?: (left: Message[]) => Promise<void>): Promise<number> {
    if (this.timer && this.stalledSince === undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.pump();
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.whenEmpty(),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
    this.closed = true;
    clearTimeout(this.timer);
    const left = this.pending.splice(0);
    if (rescue && left.length > 0) {
      try {
        await rescue(left);
        this.log.warn(
          { records: left.length },
          'gateway records Kafka did not take before shutdown were spooled; they go to Kafka from the spool',
        );
        return left.length;
      } catch (err) {
        this.log.error({ err }, 'gateway records could not be spooled at shutdown');
      }
    }
    for (const m of left)
      this.log.error(
        { eventId: header(m, 'llmops-event-id'), tenant: header(m, 'llmops-tenant') },
        'gateway record lost: Kafka did not take it before shutdown',
      );
    if (left.length > 0) this.onDropped('shutdown', left.length);
    return left.length;
  }

  /**
   * While Kafka does not take records: hands the waiting records that `which` selects to `to`
   * (the spool), once each, and forgets them once `to` resolved. Those of a publish under way
   * are handed over too but kept until that publish ends (a copy in Kafka and one in the spool
   * is harmless: consumers are idempotent on the event id; a record in neither is not).
   * Resolves with how many were handed over.
   */
  async spill(
    which: (m: Message) => boolean,
    to: (m: Message[]) => Promise<void>,
  ): Promise<number> {
    if (this.accepting() || this.closed) return 0;
    const fresh = this.pending.filter((m) => which(m) && !this.spilled.has(m));
    if (fresh.length > 0) await to(fresh);
    for (const m of fresh) this.spilled.add(m);
    // Positions may have shifted meanwhile (a publish ended): by identity, past the one in flight.
    for (let i = this.pending.length - 1; i >= this.inFlight; i--)
      if (this.spilled.has(this.pending[i]!)) this.pending.splice(i, 1);
    return fresh.length;
  }

  private whenEmpty(): Promise<void> {
    if (this.pending.length === 0 && !this.pumping) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private pump(): void {
    if (this.pumping || this.closed || this.timer) return;
    if (this.pending.length === 0) {
      for (const resolve of this.idle.splice(0)) resolve();
      return;
    }
    this.pumping = true;
    this.pumpStartedAt = Date.now();
    const batch = this.pending.slice(0, this.batch);
    this.inFlight = batch.length;
    this.publisher.publish(this.topic, batch).then(
      () => {
        this.inFlight = 0;
        this.pending.splice(0, batch.length);
        if (this.stalledSince !== undefined)
          this.log.info(
            { outageMs: Date.now() - this.stalledSince, pending: this.pending.length },
            'Kafka takes gateway records again',
          );
        this.stalledSince = undefined;
        this.retryMs = this.retryMinMs;
        this.pumping = false;
        this.pump();
      },
      (err: unknown) => {
        this.pumping = false;
        this.inFlight = 0;
        if (err instanceof PublishRejectedError && err.fault === 'record') {
          // Kafka will never take these records (too large for the topic): keeping them would
          // block every record behind them.
          this.pending.splice(0, batch.length);
          for (const m of batch)
            this.log.error(
              { eventId: header(m, 'llmops-event-id'), err },
              'gateway record refused by Kafka and dropped',
            );
          this.onDropped('refused', batch.length);
          this.pump();
          return;
        }
        if (this.stalledSince === undefined) {
          this.stalledSince = Date.now();
          this.log.error(
            { err, pending: this.pending.length },
            'Kafka does not take gateway records: new calls are refused until it does; records are kept and retried',
          );
        }
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, this.retryMs);
        this.retryMs = Math.min(this.retryMaxMs, this.retryMs * 2);
      },
    );
  }
}

function header(m: Message, name: string): string | undefined {
  const v = m.headers?.[name];
  return v === undefined ? undefined : String(v);
}
