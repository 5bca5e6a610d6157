import * as fs from 'node:fs';
import * as path from 'node:path';
import { crc32 } from 'node:zlib';
import type { Message } from 'kafkajs';
import type { Logger } from '@llmops/observability';

/**
 * The gateway's records on local disk while Kafka does not take them, for tenants whose policy
 * is to keep calling models then (`when_kafka_down: spool`) rather than refuse calls (503).
 *
 * An append-only file of frames, each `u32 length, u32 CRC-32, payload` (little-endian; the
 * payload is the record's Kafka message as JSON), in numbered segments. `append` resolves only
 * once the frame is on disk (fsync), and the gateway waits for that before it lets the client
 * have the end of its answer: a call whose answer a client received has its record on disk, even
 * if the process is SIGKILLed right after. Appends that arrive while a write is under way leave
 * together with the next one (group commit), so that a busy gateway pays one fsync per batch,
 * not per record. `replay` sends the closed segments to Kafka once it is back and deletes each
 * after Kafka acknowledged all of it; a crash during a replay sends that segment again on the
 * next, which the consumers absorb (every side effect is idempotent on the event id).
 *
 * One process per directory (a lock file with its pid): two writers would interleave frames.
 */
export class RecordSpool {
  private fh: fs.promises.FileHandle | undefined;
  private segment = 0;
  private queued: Array<{ frame: Buffer; done: (err?: Error) => void }> = [];
  private writing: Promise<void> | undefined;
  private bytes = 0;
  private readonly lockFile: string;

  private constructor(
    readonly dir: string,
    private readonly maxBytes: number,
    private readonly log: Logger,
  ) {
    this.lockFile = path.join(dir, 'spool.lock');
  }

  /** Opens (creating) the spool directory for this process, or throws naming who holds it. */
  static async open(dir: string, maxBytes: number, log: Logger): Promise<RecordSpool> {
    fs.mkdirSync(dir, { recursive: true });
    const spool = new RecordSpool(dir, maxBytes, log);
    spool.lock();
    const segments = spool.segments();
    spool.bytes = segments.reduce((n, s) => n + fs.statSync(path.join(dir, s)).size, 0);
    spool.segment = segments.length > 0 ? segmentNumber(segments.at(-1)!) + 1 : 1;
    if (segments.length > 0)
      log.warn(
        { dir, segments: segments.length, bytes: spool.bytes },
        'gateway records spooled before a restart: they go to Kafka once it takes records',
      );
    return spool;
  }

  /** Whether a record can be spooled now (below the size bound). */
  writable(): boolean {
    return this.bytes < this.maxBytes;
  }

  /** Bytes waiting on disk. */
  get size(): number {
    return this.bytes;
  }

  /** Whether records wait on disk for Kafka. */
  hasRecords(): boolean {
    return this.bytes > 0 || this.queued.length > 0;
  }

  /** Writes the record; resolves once it is on disk. */
  append(message: Message): Promise<void> {
    const frame = encodeFrame(message);
    this.bytes += frame.length;
    return new Promise((resolve, reject) => {
      this.queued.push({ frame, done: (err) => (err ? reject(err) : resolve()) });
      this.writing ??= this.write();
    });
  }

  private async write(): Promise<void> {
    while (this.queued.length > 0) {
      const batch = this.queued.splice(0);
      try {
        this.fh ??= await fs.promises.open(this.segmentPath(this.segment), 'a');
        await this.fh.writev(batch.map((b) => b.frame));
        await this.fh.datasync();
        for (const b of batch) b.done();
      } catch (err) {
        this.log.error({ err, dir: this.dir }, 'gateway records could not be written to the spool');
        const e = err instanceof Error ? err : new Error(String(err));
        for (const b of batch) b.done(e);
      }
    }
    this.writing = undefined;
  }

  /**
   * Sends every closed segment to `publish` (which resolves once Kafka acknowledged), oldest
   * first, in batches of `batch`, and deletes each once all of it was sent; the segment being
   * written is closed first, so that records spooled meanwhile wait for the next replay.
   * Resolves with the number of records sent; stops at the first publish that fails.
   */
  async replay(publish: (messages: Message[]) => Promise<void>, batch = 500): Promise<number> {
    await this.rotate();
    let sent = 0;
    for (const name of this.segments()) {
      if (segmentNumber(name) >= this.segment) break;
      const file = path.join(this.dir, name);
      const data = fs.readFileSync(file);
      const { messages, tornBytes } = decodeFrames(data);
      for (let i = 0; i < messages.length; i += batch) {
        await publish(messages.slice(i, i + batch));
        sent += Math.min(batch, messages.length - i);
      }
      if (tornBytes > 0) {
        // Most likely the frame a crash cut short (its append never resolved, so no client got
        // the end of that answer); but it could be damage in the middle: kept, never deleted.
        fs.renameSync(file, `${file}.torn`);
        this.log.error(
          { file: `${file}.torn`, records: messages.length, tornBytes },
          'spool segment has bytes after its last whole frame (a crash mid-write, or damage): the whole frames were sent, the file is kept for inspection',
        );
      } else fs.unlinkSync(file);
      this.bytes = Math.max(0, this.bytes - data.length);
      this.log.info({ file, records: messages.length }, 'spooled gateway records sent to Kafka');
    }
    return sent;
  }

  /** Waits for the writes under way, then starts a new segment. */
  private async rotate(): Promise<void> {
    await this.writing;
    if (this.fh) {
      await this.fh.close();
      this.fh = undefined;
    }
    if (fs.existsSync(this.segmentPath(this.segment))) this.segment++;
  }

  async close(): Promise<void> {
    await this.writing;
    await this.fh?.close();
    this.fh = undefined;
    fs.rmSync(this.lockFile, { force: true });
  }

  private segments(): string[] {
    return fs
      .readdirSync(this.dir)
      .filter((f) => SEGMENT.test(f))
      .sort((a, b) => segmentNumber(a) - segmentNumber(b));
  }

  private segmentPath(n: number): string {
    return path.join(this.dir, `spool-${String(n).padStart(10, '0')}.log`);
  }

  private lock(): void {
    try {
      fs.writeFileSync(this.lockFile, String(process.pid), { flag: 'wx' });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number(fs.readFileSync(this.lockFile, 'utf8'));
    if (Number.isInteger(holder) && holder !== process.pid && alive(holder))
      throw new Error(
        `the gateway spool directory ${this.dir} is in use by process ${holder}; give every ingress replica its own GATEWAY_SPOOL_DIR`,
      );
    // Left by a process that is gone (a SIGKILL): ours now.
    fs.writeFileSync(this.lockFile, String(process.pid));
  }
}

const SEGMENT = /^spool-(\d{10})\.log$/;
const HEADER = 8;

function segmentNumber(name: string): number {
  return Number(SEGMENT.exec(name)![1]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function encodeFrame(m: Message): Buffer {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.headers ?? {}))
    if (v !== undefined) headers[k] = Buffer.isBuffer(v) ? v.toString() : String(v);
  const payload = Buffer.from(
    JSON.stringify({
      k: m.key === null || m.key === undefined ? null : m.key.toString(),
      h: headers,
      v: Buffer.isBuffer(m.value)
        ? m.value.toString('base64')
        : Buffer.from(m.value ?? '').toString('base64'),
    }),
  );
  const frame = Buffer.allocUnsafe(HEADER + payload.length);
  frame.writeUInt32LE(payload.length, 0);
  frame.writeUInt32LE(crc32(payload), 4);
  payload.copy(frame, HEADER);
  return frame;
}

/** The messages of a segment, up to its first incomplete or corrupt frame. */
export function decodeFrames(data: Buffer): { messages: Message[]; tornBytes: number } {
  const messages: Message[] = [];
  let at = 0;
  while (at + HEADER <= data.length) {
    const length = data.readUInt32LE(at);
    const end = at + HEADER + length;
    if (end > data.length) break;
    const payload = data.subarray(at + HEADER, end);
    if (crc32(payload) !== data.readUInt32LE(at + 4)) break;
    const o = JSON.parse(payload.toString()) as {
      k: string | null;
      h: Record<string, string>;
      v: string;
    };
    messages.push({ key: o.k, headers: o.h, value: Buffer.from(o.v, 'base64') });
    at = end;
  }
  return { messages, tornBytes: data.length - at };
}

/**
 * Sends the spool's records to Kafka whenever there are some and Kafka takes records again,
 * and while it does not, runs `whileDown` (moving records waiting in memory to the spool):
 * checked every `intervalMs`, one at a time.
 */
export class SpoolDrain {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly spool: RecordSpool,
    private readonly canSend: () => boolean,
    private readonly publish: (messages: Message[]) => Promise<void>,
    private readonly log: Logger,
    private readonly whileDown: () => Promise<unknown> = () => Promise.resolve(),
    private readonly intervalMs = 1_000,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
    void this.tick();
  }

  /** One replay if there is something to send and Kafka takes records; else `whileDown`. */
  tick(): Promise<void> {
    if (this.running) return this.running;
    const up = this.canSend();
    if (up && !this.spool.hasRecords()) return Promise.resolve();
    this.running = (up ? this.spool.replay(this.publish) : this.whileDown())
      .then(
        () => undefined,
        (err: unknown) =>
          this.log.warn({ err }, 'spooled gateway records not sent yet; tried again shortly'),
      )
      .finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
