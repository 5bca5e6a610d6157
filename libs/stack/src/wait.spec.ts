import { notReady, ready, waitFor, WaitTimeoutError } from './wait';

describe('waitFor', () => {
  it('returns the value once the probe is ready, treating throws as not yet', async () => {
    let calls = 0;
    const value = await waitFor(
      'the thing',
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('boom');
        return calls < 3 ? notReady('warming up') : ready('done');
      },
      { timeoutMs: 2_000, intervalMs: 1 },
    );
    expect(value).toBe('done');
    expect(calls).toBe(3);
  });

  it('times out naming what it waited for and the last reason', async () => {
    await expect(
      waitFor('the port', async () => notReady('connection refused'), {
        timeoutMs: 20,
        intervalMs: 5,
      }),
    ).rejects.toThrow(new WaitTimeoutError('the port', 'connection refused', 20));
  });

  it('stops at once when abortIf gives a reason', async () => {
    await expect(
      waitFor('x', async () => notReady('no'), {
        timeoutMs: 10_000,
        abortIf: async () => 'the process exited',
      }),
    ).rejects.toThrow('stopped waiting for x: the process exited');
  });
});
