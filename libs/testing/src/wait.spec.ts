import { uniqueIdentifier, uniqueName, waitFor } from './wait';

describe('waitFor', () => {
  it('returns the first result that is neither undefined nor false', async () => {
    const answers = [undefined, false, 0, 1];
    let calls = 0;
    const result = await waitFor('a number', () => answers[calls++], { intervalMs: 1 });
    expect(result).toBe(0);
    expect(calls).toBe(3);
  });

  it('keeps polling through a probe that throws', async () => {
    let calls = 0;
    const result = await waitFor(
      'a probe that recovers',
      () => {
        calls++;
        if (calls < 3) throw new Error('not yet');
        return 'up';
      },
      { intervalMs: 1 },
    );
    expect(result).toBe('up');
  });

  it('fails saying what it waited for and the last thing it saw', async () => {
    await expect(
      waitFor(
        'the topic to exist',
        () => {
          throw new Error('UNKNOWN_TOPIC_OR_PARTITION');
        },
        { timeoutMs: 20, intervalMs: 5 },
      ),
    ).rejects.toThrow(
      'timed out after 20 ms waiting for the topic to exist (last: UNKNOWN_TOPIC_OR_PARTITION)',
    );
  });
});

describe('unique names', () => {
  it('differ on every call and keep their prefix', () => {
    expect(uniqueName('t')).toMatch(/^t-[0-9a-f-]{36}$/);
    expect(uniqueName()).not.toBe(uniqueName());
    expect(uniqueIdentifier('db')).toMatch(/^db_[0-9a-f]{32}$/);
  });
});
