import type { Message } from 'kafkajs';
import { PublishRejectedError, PublishUnavailableError, type EventPublisher } from '@llmops/kafka';
import { createLogger } from '@llmops/observability';
import { RecordOutbox } from './record-outbox';

const silent = createLogger('test', { level: 'silent' });

/** A publisher whose every publish waits for the test to settle it. */
function publisher() {
  const calls: Array<{ messages: Message[]; resolve: () => void; reject: (e: Error) => void }> = [];
  const fake = {
    publish: (_topic: string, messages: Message[]) =>
      new Promise<void>((resolve, reject) =>
        calls.push({ messages: [...messages], resolve, reject }),
      ),
  };
  return { calls, publisher: fake as unknown as EventPublisher };
}

const msg = (id: string): Message => ({
  value: Buffer.from(id),
  headers: { 'llmops-event-id': id },
});
const flush = () => new Promise((r) => setImmediate(r));

describe('RecordOutbox', () => {
  it('publishes records in order and keeps each until Kafka acknowledged it', async () => {
    const { calls, publisher: pub } = publisher();
    const box = new RecordOutbox(pub, 't', silent, () => undefined, { lingerMs: 0 });
    box.add(msg('a'));
    box.add(msg('b'));
    expect(calls).toHaveLength(1);
    expect(box.size).toBe(2);
    calls[0]!.resolve();
    await flush();
    // 'b' came while 'a' was in flight: it goes in the next publish.
    expect(calls[1]!.messages.map((m) => String(m.value))).toEqual(['b']);
    calls[1]!.resolve();
    await flush();
    expect(box.size).toBe(0);
  });

  it('moves the records it selects to the spool while Kafka is away, once each, keeping those of the publish in flight until it ends', async () => {
    jest.useFakeTimers();
    try {
      const { calls, publisher: pub } = publisher();
      const box = new RecordOutbox(pub, 't', silent, () => undefined, {
        retryMinMs: 100,
        lingerMs: 0,
        batch: 1,
      });
      const spooled: string[] = [];
      const to = (m: Message[]) => {
        spooled.push(...m.map((x) => String(x.value)));
        return Promise.resolve();
      };
      box.add(msg('a'));
      expect(await box.spill(() => true, to)).toBe(0); // Kafka is not known to be away yet
      calls[0]!.reject(new PublishUnavailableError('down'));
      await jest.advanceTimersByTimeAsync(0);
      box.add(msg('b'));
      box.add(msg('keep'));
      box.add(msg('c'));
      await jest.advanceTimersByTimeAsync(100); // 'a' is tried again: in flight
      expect(calls).toHaveLength(2);
      // 'a' is copied too, but kept until its publish ends.
      expect(await box.spill((m) => String(m.value) !== 'keep', to)).toBe(3);
      expect(spooled).toEqual(['a', 'b', 'c']);
      expect(box.size).toBe(2);
      calls[1]!.reject(new PublishUnavailableError('still down'));
      await jest.advanceTimersByTimeAsync(0);
      // Its publish failed: 'a' is on disk already, so it is forgotten without a second copy.
      expect(await box.spill(() => true, to)).toBe(1);
      expect(spooled).toEqual(['a', 'b', 'c', 'keep']);
      expect(box.size).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps and retries records while Kafka is unavailable, refusing new calls until it takes them again', async () => {
    jest.useFakeTimers();
    try {
      const { calls, publisher: pub } = publisher();
      const box = new RecordOutbox(pub, 't', silent, () => undefined, {
        retryMinMs: 100,
        lingerMs: 0,
      });
      box.add(msg('a'));
      expect(box.accepting()).toBe(true);
      calls[0]!.reject(new PublishUnavailableError('down'));
      await jest.advanceTimersByTimeAsync(0);
      expect(box.accepting()).toBe(false);
      expect(box.size).toBe(1);
      await jest.advanceTimersByTimeAsync(100);
      expect(calls).toHaveLength(2);
      expect(calls[1]!.messages.map((m) => String(m.value))).toEqual(['a']);
      calls[1]!.resolve();
      await jest.advanceTimersByTimeAsync(0);
      expect(box.accepting()).toBe(true);
      expect(box.size).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('refuses new calls while a publish waits longer than the stall bound, before it fails', () => {
    const { publisher: pub } = publisher();
    const box = new RecordOutbox(pub, 't', silent, () => undefined, {
      stallAfterMs: 2_000,
      lingerMs: 0,
    });
    const t = Date.now();
    box.add(msg('a'));
    expect(box.accepting(t + 1_000)).toBe(true);
    expect(box.accepting(t + 2_500)).toBe(false);
  });

  it('lets records linger a moment so that they leave together in one publish', async () => {
    jest.useFakeTimers();
    try {
      const { calls, publisher: pub } = publisher();
      const box = new RecordOutbox(pub, 't', silent, () => undefined, { lingerMs: 5 });
      box.add(msg('a'));
      box.add(msg('b'));
      expect(calls).toHaveLength(0);
      await jest.advanceTimersByTimeAsync(5);
      expect(calls.map((c) => c.messages.map((m) => String(m.value)))).toEqual([['a', 'b']]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('sends lingering records at once when it closes', async () => {
    const { calls, publisher: pub } = publisher();
    const box = new RecordOutbox(pub, 't', silent, () => undefined, { lingerMs: 60_000 });
    box.add(msg('a'));
    const closing = box.close(1_000);
    expect(calls).toHaveLength(1);
    calls[0]!.resolve();
    expect(await closing).toBe(0);
  });

  it('refuses new calls when full', () => {
    const { publisher: pub } = publisher();
    const box = new RecordOutbox(pub, 't', silent, () => undefined, { maxPending: 100 });
    for (let i = 0; i < 100; i++) box.add(msg(String(i)));
    expect(box.accepting()).toBe(false);
  });

  it('drops only records Kafka refuses for good, counting them, and goes on with the rest', async () => {
    const { calls, publisher: pub } = publisher();
    const dropped: Array<[string, number]> = [];
    const box = new RecordOutbox(pub, 't', silent, (reason, n) => dropped.push([reason, n]), {
      lingerMs: 0,
    });
    box.add(msg('huge'));
    box.add(msg('next'));
    calls[0]!.reject(
      new PublishRejectedError('too large', 'record', 'MESSAGE_TOO_LARGE', undefined),
    );
    await flush();
    expect(dropped).toEqual([['refused', 1]]);
    expect(calls[1]!.messages.map((m) => String(m.value))).toEqual(['next']);
  });

  it('at close, waits for the records in flight, then reports what Kafka never took', async () => {
    const { calls, publisher: pub } = publisher();
    const dropped: Array<[string, number]> = [];
    const box = new RecordOutbox(pub, 't', silent, (reason, n) => dropped.push([reason, n]), {
      lingerMs: 0,
    });
    box.add(msg('a'));
    const closing = box.close(50);
    calls[0]!.resolve();
    expect(await closing).toBe(0);

    const box2 = new RecordOutbox(publisher().publisher, 't', silent, (reason, n) =>
      dropped.push([reason, n]),
    );
    box2.add(msg('b'));
    expect(await box2.close(10)).toBe(1);
    expect(dropped).toEqual([['shutdown', 1]]);
    expect(box2.accepting()).toBe(false);
    // A record handed over after the close is said lost, never silently.
    box2.add(msg('late'));
    expect(dropped).toEqual([
      ['shutdown', 1],
      ['shutdown', 1],
    ]);
  });
});
