import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Message } from 'kafkajs';
import { createLogger } from '@llmops/observability';
import { RecordSpool, decodeFrames, encodeFrame } from './record-spool';

const log = createLogger('test', { level: 'silent' });

const message = (i: number): Message => ({
  key: `acme/${i}`,
  value: Buffer.from([0xc3, 0x01, i % 256, 0, 255]),
  headers: { 'llmops-event-id': `e-${i}`, 'llmops-tenant': 'acme' },
});

describe('RecordSpool', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmops-spool-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const onDisk = () =>
    fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.log'))
      .flatMap((f) => decodeFrames(fs.readFileSync(path.join(dir, f))).messages);

  it('has a record on disk once its append resolves, many appends at once included', async () => {
    const spool = await RecordSpool.open(dir, 1 << 20, log);
    await Promise.all(Array.from({ length: 50 }, (_, i) => spool.append(message(i))));
    const read = onDisk();
    expect(read.map((m) => m.headers!['llmops-event-id'])).toEqual(
      Array.from({ length: 50 }, (_, i) => `e-${i}`),
    );
    expect(read[7]).toEqual({ ...message(7), key: 'acme/7' });
    await spool.close();
  });

  it('replays closed segments to Kafka and deletes them; what is spooled meanwhile waits for the next replay', async () => {
    const spool = await RecordSpool.open(dir, 1 << 20, log);
    for (let i = 0; i < 5; i++) await spool.append(message(i));
    const sent: Message[] = [];
    const replayed = await spool.replay(async (batch) => {
      await spool.append(message(100 + sent.length));
      sent.push(...batch);
    }, 2);
    expect(replayed).toBe(5);
    expect(sent.map((m) => m.headers!['llmops-event-id'])).toEqual([
      'e-0',
      'e-1',
      'e-2',
      'e-3',
      'e-4',
    ]);
    expect(onDisk()).toHaveLength(3);
    expect(spool.hasRecords()).toBe(true);
    await spool.replay(async (batch) => void sent.push(...batch));
    expect(sent).toHaveLength(8);
    expect(onDisk()).toHaveLength(0);
    expect(spool.hasRecords()).toBe(false);
    await spool.close();
  });

  it('keeps a segment whose replay failed, to send it again', async () => {
    const spool = await RecordSpool.open(dir, 1 << 20, log);
    await spool.append(message(1));
    await expect(spool.replay(() => Promise.reject(new Error('Kafka is away')))).rejects.toThrow(
      'Kafka is away',
    );
    expect(onDisk()).toHaveLength(1);
    const sent: Message[] = [];
    await spool.replay(async (batch) => void sent.push(...batch));
    expect(sent).toHaveLength(1);
    await spool.close();
  });

  it('reads the records of a spool left by a killed process, sends its whole frames and keeps a torn tail for inspection', async () => {
    const frames = [encodeFrame(message(1)), encodeFrame(message(2)), encodeFrame(message(3))];
    const torn = frames[2]!.subarray(0, frames[2]!.length - 4);
    fs.writeFileSync(
      path.join(dir, 'spool-0000000001.log'),
      Buffer.concat([frames[0]!, frames[1]!, torn]),
    );
    // A lock left by a process that is gone.
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    fs.writeFileSync(path.join(dir, 'spool.lock'), gone.stdout.toString());
    const spool = await RecordSpool.open(dir, 1 << 20, log);
    expect(spool.hasRecords()).toBe(true);
    const sent: Message[] = [];
    await spool.replay(async (batch) => void sent.push(...batch));
    expect(sent.map((m) => m.headers!['llmops-event-id'])).toEqual(['e-1', 'e-2']);
    expect(fs.existsSync(path.join(dir, 'spool-0000000001.log.torn'))).toBe(true);
    await spool.close();
  });

  it('refuses a directory another live process spools into', async () => {
    fs.writeFileSync(path.join(dir, 'spool.lock'), String(process.ppid));
    await expect(RecordSpool.open(dir, 1 << 20, log)).rejects.toThrow(
      `is in use by process ${process.ppid}; give every ingress replica its own GATEWAY_SPOOL_DIR`,
    );
  });

  it('stops taking records at its size bound', async () => {
    const spool = await RecordSpool.open(dir, encodeFrame(message(1)).length * 2, log);
    await spool.append(message(1));
    expect(spool.writable()).toBe(true);
    await spool.append(message(2));
    expect(spool.writable()).toBe(false);
    await spool.close();
  });

  it('detects a damaged frame by its checksum', () => {
    const frame = encodeFrame(message(1));
    frame.writeUInt8(frame.readUInt8(frame.length - 3) ^ 0xff, frame.length - 3);
    expect(decodeFrames(frame)).toEqual({ messages: [], tornBytes: frame.length });
  });
});
