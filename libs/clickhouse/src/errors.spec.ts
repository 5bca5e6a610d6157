import {
  classifyClickHouseError,
  ClickHouseNonRetriableError,
  ClickHouseRetriableError,
  isRetriableClickHouseError,
} from './errors';

/** What ClickHouse 18.16 sends (the client passes it on as a plain Error). */
const old = (code: number, text: string) =>
  new Error(`Code: ${code}, e.displayText() = DB::Exception: ${text}, e.what() = DB::Exception\n`);
/** What current releases send (the client turns it into ClickHouseError with code/type). */
const current = (code: number, type: string, text: string) =>
  Object.assign(new Error(text), { code: String(code), type });
const sys = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:8123`), { code });

describe('classifyClickHouseError', () => {
  it.each([
    ['a syntax error (18.16 text)', old(62, 'Syntax error: failed at position 1'), 'query', 62],
    ['an unknown table', old(60, "Table db.x doesn't exist."), 'schema', 60],
    ['an unknown database', old(81, "Database nope doesn't exist"), 'schema', 81],
    ['a DateTime parse error', old(41, 'Cannot parse datetime: (at row 1)'), 'data', 41],
    ['a type mismatch (current text)', current(53, 'TYPE_MISMATCH', 'Type mismatch'), 'data', 53],
    ['an unknown setting', old(115, 'Unknown setting foo'), 'query', 115],
    [
      'a wrong password',
      current(516, 'AUTHENTICATION_FAILED', 'default: Authentication failed'),
      'auth',
      516,
    ],
    [
      'an unknown field in JSONEachRow',
      old(117, 'Unknown field found while parsing JSONEachRow format: x'),
      'data',
      117,
    ],
    [
      'too many partitions in one insert (about the batch, not the server)',
      current(
        252,
        'TOO_MANY_PARTS',
        'Too many partitions for single INSERT block (more than 100).',
      ),
      'data',
      252,
    ],
    ['an unlisted code', old(9999, 'something new'), 'unknown', 9999],
  ])('does not retry %s', (_what, err, kind, code) => {
    const c = classifyClickHouseError(err, 'insert into db.t');
    expect(c).toBeInstanceOf(ClickHouseNonRetriableError);
    expect(c.retriable).toBe(false);
    expect(c.kind).toBe(kind);
    expect(c.code).toBe(code);
    expect(c.cause).toBe(err);
    expect(c.message).toMatch(/^insert into db\.t failed: /);
  });

  it.each([
    ['connection refused', sys('ECONNREFUSED'), 'network'],
    ['connection reset', sys('ECONNRESET'), 'network'],
    ['DNS not resolving yet', sys('ENOTFOUND'), 'network'],
    ['a socket timeout', sys('ETIMEDOUT'), 'timeout'],
    ["the client's request timeout", new Error('Timeout error.'), 'timeout'],
    ['socket hang up', new Error('socket hang up'), 'network'],
    ['a query timeout', old(159, 'Timeout exceeded: elapsed 5 seconds'), 'timeout'],
    [
      'too many simultaneous queries',
      old(202, 'Too many simultaneous queries. Maximum: 100'),
      'overloaded',
    ],
    ['memory limit', old(241, 'Memory limit (for query) exceeded'), 'overloaded'],
    [
      'too many parts',
      current(
        252,
        'TOO_MANY_PARTS',
        'Too many parts (300). Merges are processing significantly slower than inserts',
      ),
      'overloaded',
    ],
    ['a read-only replica', old(242, 'Table is in readonly mode'), 'unavailable'],
    [
      'a proxy 503 page',
      new Error('<html><body><h1>503 Service Unavailable</h1></body></html>'),
      'unavailable',
    ],
    [
      'a network error wrapped as cause',
      new Error('request failed', { cause: sys('EPIPE') }),
      'network',
    ],
  ])('retries %s', (_what, err, kind) => {
    const c = classifyClickHouseError(err, 'query');
    expect(c).toBeInstanceOf(ClickHouseRetriableError);
    expect(c.retriable).toBe(true);
    expect(c.kind).toBe(kind);
    expect(c.cause).toBe(err);
  });

  it('names the code and keeps the server text short and on one line', () => {
    const c = classifyClickHouseError(old(62, `Syntax error: ${'x'.repeat(2000)}\nmore`), 'q');
    expect(c.codeName).toBe('SYNTAX_ERROR');
    expect(c.message).toMatch(/^q failed: SYNTAX_ERROR \(62\): Syntax error: x+/);
    expect(c.message).not.toMatch(/\n|e\.what\(\)|e\.displayText/);
    expect(c.message.length).toBeLessThan(500);
  });

  it('takes the type name from current servers when the code is not in the table', () => {
    const c = classifyClickHouseError(current(1234, 'SOMETHING_NEW', 'x'), 'q');
    expect(c.codeName).toBe('SOMETHING_NEW');
    expect(c.retriable).toBe(false);
  });

  it('passes an already classified error through unchanged', () => {
    const first = classifyClickHouseError(sys('ECONNREFUSED'), 'a');
    expect(classifyClickHouseError(first, 'b')).toBe(first);
  });

  it('does not retry anything it cannot recognise', () => {
    expect(classifyClickHouseError(new Error('weird'), 'q').kind).toBe('unknown');
    expect(isRetriableClickHouseError('a string')).toBe(false);
    expect(isRetriableClickHouseError(undefined)).toBe(false);
  });
});
