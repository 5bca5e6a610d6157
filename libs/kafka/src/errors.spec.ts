import {
  KafkaJSConnectionError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  KafkaJSTimeout,
} from 'kafkajs';
import {
  DeploymentFaultError,
  PublishUnavailableError,
  faultHint,
  faultOf,
  RetriableError,
  isRetriable,
  retryTransient,
} from './errors';

describe('isRetriable', () => {
  it.each([
    ['our RetriableError', new RetriableError('down'), true],
    ['a PublishUnavailableError', new PublishUnavailableError('slow'), true],
    ['a kafkajs connection error', new KafkaJSConnectionError('refused'), true],
    ['a kafkajs non-retriable error', new KafkaJSNonRetriableError('bad'), false],
    [
      'a kafkajs timeout (an outage for a service)',
      new (KafkaJSTimeout as unknown as new (message: string) => Error)('slow'),
      true,
    ],
    ['a plain Error', new Error('bug'), false],
    ['an object saying retriable: "yes"', { retriable: 'yes' }, false],
    ['null', null, false],
    ['a string', 'retriable', false],
  ])('says %s is %s', (_what, err, expected) => {
    expect(isRetriable(err)).toBe(expected);
  });

  it('makes PublishUnavailableError a RetriableError with its own name and cause', () => {
    const cause = new Error('x');
    const err = new PublishUnavailableError('slow', { cause });
    expect(err).toBeInstanceOf(RetriableError);
    expect(err.name).toBe('PublishUnavailableError');
    expect(err.cause).toBe(cause);
  });
});

/** A kafkajs protocol error as kafkajs builds it from a broker's error code. */
const protocol = (type: string, retriable: boolean) =>
  new KafkaJSProtocolError(Object.assign(new Error(type), { type, code: 0, retriable }));

describe('faultOf', () => {
  it.each([
    ['a record too large for the topic', protocol('MESSAGE_TOO_LARGE', false), 'record'],
    ['a corrupt record', protocol('CORRUPT_MESSAGE', true), 'record'],
    ['a topic without permission', protocol('TOPIC_AUTHORIZATION_FAILED', false), 'deployment'],
    [
      'a missing topic (retriable for kafkajs)',
      protocol('UNKNOWN_TOPIC_OR_PARTITION', true),
      'deployment',
    ],
    ['a leader moving', protocol('NOT_LEADER_OR_FOLLOWER', true), 'transient'],
    [
      'retries that ran out on a broker outage',
      new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('refused'), {
        retryCount: 5,
        retryTime: 100,
      }),
      'transient',
    ],
    [
      'retries that ran out on a too-large record',
      new KafkaJSNumberOfRetriesExceeded(protocol('MESSAGE_TOO_LARGE', false), {
        retryCount: 0,
        retryTime: 0,
      }),
      'record',
    ],
    [
      'an unknown non-retriable kafkajs protocol error',
      protocol('SOMETHING_NEW', false),
      'deployment',
    ],
    ['our RetriableError', new RetriableError('down'), 'transient'],
    ['a DeploymentFaultError', new DeploymentFaultError('no table', 'migrate'), 'deployment'],
    [
      'an error that decided it is not retriable',
      Object.assign(new Error('invalid'), { retriable: false }),
      'record',
    ],
    [
      'an error with its own fault',
      Object.assign(new Error('x'), { fault: 'deployment' }),
      'deployment',
    ],
    ['a plain Error (no verdict)', new Error('bug'), undefined],
    ['a string', 'boom', undefined],
  ])('judges %s as %s', (_what, err, expected) => {
    expect(faultOf(err)).toBe(expected);
  });

  it('finds what to fix on the error or its causes', () => {
    expect(faultHint(new DeploymentFaultError('no table', 'run llmops migrate'))).toBe(
      'run llmops migrate',
    );
    expect(
      faultHint(new Error('wrapped', { cause: protocol('UNKNOWN_TOPIC_OR_PARTITION', true) })),
    ).toMatch(/llmops topics ensure/);
    expect(faultHint(new Error('bug'))).toBeUndefined();
  });
});

describe('retryTransient', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('tries again after transient failures until it succeeds', async () => {
    const fn = jest
      .fn<Promise<string>, []>()
      .mockRejectedValueOnce(new RetriableError('leader moving'))
      .mockRejectedValueOnce(new KafkaJSConnectionError('refused'))
      .mockResolvedValueOnce('done');
    await expect(retryTransient(fn, { baseMs: 1 })).resolves.toBe('done');
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('throws a non-transient error at once', async () => {
    const bug = new TypeError('undefined is not a function');
    const fn = jest.fn<Promise<string>, []>().mockRejectedValue(bug);
    await expect(retryTransient(fn, { baseMs: 1 })).rejects.toBe(bug);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('gives up after the given number of attempts with the last error', async () => {
    const errors = [1, 2, 3].map((n) => new RetriableError(`attempt ${n}`));
    const fn = jest.fn<Promise<string>, []>();
    for (const e of errors) fn.mockRejectedValueOnce(e);
    await expect(retryTransient(fn, { attempts: 3, baseMs: 1 })).rejects.toBe(errors[2]);
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('doubles the wait between attempts', async () => {
    jest.useFakeTimers();
    const calledAt: number[] = [];
    const start = Date.now();
    const fn = jest.fn(async () => {
      calledAt.push(Date.now() - start);
      if (calledAt.length < 4) throw new RetriableError('not yet');
      return 'ok';
    });
    const result = retryTransient(fn, { attempts: 5, baseMs: 100 });
    await jest.advanceTimersByTimeAsync(1_000);
    await expect(result).resolves.toBe('ok');
    expect(calledAt).toEqual([0, 100, 300, 700]);
  });

  it('waits at most five seconds between attempts', async () => {
    jest.useFakeTimers();
    const calledAt: number[] = [];
    const start = Date.now();
    const fn = jest.fn(async () => {
      calledAt.push(Date.now() - start);
      if (calledAt.length < 3) throw new RetriableError('not yet');
      return 'ok';
    });
    const result = retryTransient(fn, { attempts: 5, baseMs: 4_000 });
    await jest.advanceTimersByTimeAsync(20_000);
    await expect(result).resolves.toBe('ok');
    expect(calledAt).toEqual([0, 4_000, 9_000]);
  });
});
