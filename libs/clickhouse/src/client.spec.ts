import { ClickHouseConfigError, createClickHouseClient } from './client';

describe('createClickHouseClient', () => {
  it('creates a client for a valid http URL', async () => {
    const client = createClickHouseClient({ url: 'http://127.0.0.1:8123', database: 'db_1' });
    expect(typeof client.insert).toBe('function');
    await client.close();
  });

  it.each([
    [{ url: 'not a url' }, /url must be an absolute http\(s\) URL/],
    [{ url: 'tcp://127.0.0.1:9000' }, /url must use http or https/],
    [{ url: 'http://h:8123', requestTimeoutMs: 0 }, /requestTimeoutMs must be a positive integer/],
    [{ url: 'http://h:8123', maxOpenConnections: 1.5 }, /maxOpenConnections/],
    [{ url: 'http://h:8123', database: 'a-b' }, /database must match/],
  ])('refuses %j with a message naming the option', (options, message) => {
    expect(() => createClickHouseClient(options)).toThrow(ClickHouseConfigError);
    expect(() => createClickHouseClient(options)).toThrow(message);
  });

  it('does not echo credentials of a bad URL', () => {
    expect(() => createClickHouseClient({ url: 'ftp://user:s3cret@h:21' })).toThrow(/\/\/\*\*\*@h/);
    expect(() => createClickHouseClient({ url: 'ftp://user:s3cret@h:21' })).not.toThrow(/s3cret/);
  });
});
