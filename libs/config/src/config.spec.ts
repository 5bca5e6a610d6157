import { z } from 'zod';
import { ConfigError, ConfigService, env, loadConfig } from './config';
import { kafkaConfigSchema } from './kafka-config';

/** Runs loadConfig and returns its ConfigError (failing the test if it did not throw one). */
function configError(schema: z.ZodObject, vars: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(schema, vars);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected loadConfig to throw a ConfigError');
}

describe('loadConfig', () => {
  const schema = z.object({
    PORT: env.int(1, 65_535, 8080),
    KAFKA_BROKERS: env.brokers('127.0.0.1:9092'),
    CLICKHOUSE_URL: env.url('http://127.0.0.1:8123', ['http', 'https']),
  });

  it('fills every default when nothing is set', () => {
    expect(loadConfig(schema, {})).toEqual({
      PORT: 8080,
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      CLICKHOUSE_URL: 'http://127.0.0.1:8123',
    });
  });

  it('treats an empty variable as unset, so its default applies', () => {
    expect(loadConfig(schema, { PORT: '' }).PORT).toBe(8080);
  });

  it('reads only the variables of the schema', () => {
    const config = loadConfig(schema, { PORT: '9000', UNRELATED: 'x' });
    expect(config).not.toHaveProperty('UNRELATED');
    expect(config.PORT).toBe(9000);
  });

  it('names the variable, the problem, the value and the expected format', () => {
    const err = configError(schema, { PORT: 'eighty' });
    expect(err.problems).toHaveLength(1);
    const [problem] = err.problems;
    expect(problem).toMatch(/^PORT: /);
    expect(problem).toContain('got "eighty"');
    expect(problem).toContain('(expected an integer from 1 to 65535, default 8080)');
    expect(err.message).toContain(problem);
    expect(err.retriable).toBe(false);
    expect(err.name).toBe('ConfigError');
  });

  it('reports every invalid variable at once', () => {
    const err = configError(schema, {
      PORT: '0',
      KAFKA_BROKERS: 'no-port',
      CLICKHOUSE_URL: 'ftp://x',
    });
    expect(err.problems.map((p) => p.split(':')[0])).toEqual([
      'PORT',
      'KAFKA_BROKERS',
      'CLICKHOUSE_URL',
    ]);
    expect(err.problems[1]).toContain('is not a host:port list');
    expect(err.problems[2]).toContain('is not a http/https URL');
  });

  it('says a required variable is not set rather than showing a value', () => {
    const err = configError(z.object({ API_SECRET: env.secret(32) }), {});
    expect(err.problems[0]).toMatch(/^API_SECRET: .*it is not set/);
    expect(err.problems[0]).toContain('(expected a secret of at least 32 characters)');
  });

  it.each(['PII_HMAC_KEY', 'CLIENT_SECRET', 'DB_PASSWORD', 'AUTH_TOKEN'])(
    'never echoes the value of the secret variable %s, only its length',
    (name) => {
      const value = 'hunter2-too-short';
      const err = configError(z.object({ [name]: env.secret(32) }), { [name]: value });
      expect(err.message).not.toContain(value);
      expect(err.message).toContain(`<${value.length} characters>`);
      expect(err.message).toContain('must be at least 32 characters');
    },
  );
});

describe('env.int', () => {
  const schema = z.object({ N: env.int(10, 20, 15) });

  it.each([
    ['10', 10],
    ['20', 20],
    ['15', 15],
  ])('accepts %s within the bounds', (raw, value) => {
    expect(loadConfig(schema, { N: raw }).N).toBe(value);
  });

  it.each(['9', '21', '12.5', 'abc'])('refuses %s', (raw) => {
    const err = configError(schema, { N: raw });
    expect(err.problems[0]).toMatch(/^N: /);
    expect(err.problems[0]).toContain(`got "${raw}"`);
  });

  it('falls back to its default when unset', () => {
    expect(loadConfig(schema, {}).N).toBe(15);
  });
});

describe('env.brokers', () => {
  const schema = z.object({ B: env.brokers('localhost:9092') });

  it('splits a comma-separated list into host:port entries', () => {
    expect(
      loadConfig(schema, { B: 'kafka-1:9092,kafka-2.example.com:19092,10.0.0.3:9' }).B,
    ).toEqual(['kafka-1:9092', 'kafka-2.example.com:19092', '10.0.0.3:9']);
  });

  it('turns the default into a list too', () => {
    expect(loadConfig(schema, {}).B).toEqual(['localhost:9092']);
  });

  it.each([
    ['a host without a port', 'kafka'],
    ['a trailing comma', 'kafka:9092,'],
    ['a space after the comma', 'a:1, b:2'],
    ['a six-digit port', 'kafka:123456'],
    ['a URL', 'kafka://kafka:9092'],
  ])('refuses %s', (_what, raw) => {
    const err = configError(schema, { B: raw });
    expect(err.problems[0]).toMatch(/^B: is not a host:port list/);
    expect(err.problems[0]).toContain('(expected a comma-separated host:port list');
  });
});

describe('env.url', () => {
  const schema = z.object({ U: env.url('redis://127.0.0.1:6379', ['redis', 'rediss']) });

  it.each(['redis://cache:6379', 'rediss://user:pw@cache.example.com:6380/0'])(
    'accepts %s',
    (raw) => {
      expect(loadConfig(schema, { U: raw }).U).toBe(raw);
    },
  );

  it.each(['http://cache:6379', 'cache:6379', 'not a url'])('refuses %s', (raw) => {
    const err = configError(schema, { U: raw });
    expect(err.problems[0]).toMatch(/^U: is not a redis\/rediss URL/);
    expect(err.problems[0]).toContain('(expected a redis or rediss URL, default redis://');
  });
});

describe('env.enumOf and env.name', () => {
  const schema = z.object({
    LEVEL: env.enumOf(['info', 'debug'] as const, 'info'),
    GROUP: env.name('group-a'),
  });

  it('accepts a listed value and a well-formed name', () => {
    expect(loadConfig(schema, { LEVEL: 'debug', GROUP: 'my_group.v2-x' })).toEqual({
      LEVEL: 'debug',
      GROUP: 'my_group.v2-x',
    });
  });

  it('lists the allowed values when one is not', () => {
    const err = configError(schema, { LEVEL: 'verbose' });
    expect(err.problems[0]).toContain('(expected one of info, debug, default info)');
  });

  it('refuses a name with a slash', () => {
    const err = configError(schema, { GROUP: 'a/b' });
    expect(err.problems[0]).toContain(
      'GROUP: may only contain letters, digits, dot, underscore and dash',
    );
  });
});

describe('kafkaConfigSchema', () => {
  it('has defaults for every Kafka variable', () => {
    expect(loadConfig(kafkaConfigSchema, {})).toMatchObject({
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      KAFKA_CLIENT_ID: 'llmops',
      TOPIC_PREFIX: '',
      TOPIC_PARTITIONS: 3,
      TOPIC_REPLICATION_FACTOR: 1,
    });
  });

  it('refuses a replication factor above 7', () => {
    const err = configError(kafkaConfigSchema, { TOPIC_REPLICATION_FACTOR: '8' });
    expect(err.problems[0]).toMatch(/^TOPIC_REPLICATION_FACTOR: .*got "8"/);
  });
});

describe('ConfigService', () => {
  it('returns the loaded value of a key', () => {
    const config = new ConfigService({ PORT: 8080, BROKERS: ['a:1', 'b:2'] });
    expect(config.get('PORT')).toBe(8080);
    expect(config.get('BROKERS')).toEqual(['a:1', 'b:2']);
  });
});

describe('loadConfig and URLs with credentials', () => {
  it('never echoes the user and password of a URL value it rejects', () => {
    const schema = z.object({ REDIS_URL: env.url('redis://127.0.0.1:6379', ['redis']) });
    let message = '';
    try {
      loadConfig(schema, { REDIS_URL: 'http://default:s3cr3t-pass@cache:6379' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(
      /REDIS_URL: is not a redis URL; got "http:\/\/<credentials>@cache:6379"/,
    );
    expect(message).not.toContain('s3cr3t-pass');
  });
});
