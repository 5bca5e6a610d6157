import { testEndpoints, uniqueIdentifier, uniqueName } from '@llmops/testing';
import { llmops } from './run-cli';

describe('the llmops CLI against real servers', () => {
  const env = { TOPIC_PREFIX: `${uniqueName('t-cli')}.` };

  it('creates topics, then creates, lists and revokes an API key, printing the secret only once', async () => {
    const ensure = await llmops(['topics', 'ensure'], env);
    expect(ensure.code).toBe(0);
    expect(ensure.stdout).toMatch(/created: .*llmops\.invocations\.v1/);
    expect((await llmops(['topics', 'ensure'], env)).stdout).toMatch(/all topics exist/);

    const created = await llmops(
      ['keys', 'create', '--tenant', 'acme', '--scopes', 'ingest,query', '--name', 'ci'],
      env,
    );
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^llm_[a-z0-9]{16}_[A-Za-z0-9_-]{43}$/);
    const keyId = key.split('_')[1]!;

    const listed = await llmops(['keys', 'list', '--tenant', 'acme'], env);
    expect(listed.stdout).toContain(keyId);
    expect(listed.stdout).toMatch(/ingest,query\s+active\s+ci/);
    expect(listed.stdout).not.toContain(key);

    expect((await llmops(['keys', 'revoke', keyId], env)).code).toBe(0);
    expect((await llmops(['keys', 'list'], env)).stdout).toMatch(new RegExp(`${keyId}.*revoked`));
  });

  it('rejects bad arguments with exit code 2 and says what is wrong', async () => {
    const badScope = await llmops(
      ['keys', 'create', '--tenant', 'acme', '--scopes', 'ingest,root'],
      env,
    );
    expect(badScope.code).not.toBe(0);
    expect(badScope.stderr).toMatch(/unknown scope 'root'/);
    const missing = await llmops(['keys', 'create', '--scopes', 'ingest'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--tenant is required/);
    const unknown = await llmops(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
    const badEnv = await llmops(['topics', 'ensure'], { ...env, TOPIC_PARTITIONS: 'many' });
    expect(badEnv.code).toBe(2);
    expect(badEnv.stderr).toMatch(
      /TOPIC_PARTITIONS: .*got "many" \(expected an integer from 1 to 1024/,
    );
  });

  it('says how to start Kafka when it is unreachable', async () => {
    const run = await llmops(['keys', 'list'], { KAFKA_BROKERS: '127.0.0.1:1' });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/Kafka at 127.0.0.1:1 is not reachable/);
  });

  it('applies the ClickHouse migrations once', async () => {
    const database = uniqueIdentifier('t_cli');
    const first = await llmops(['migrate'], { CLICKHOUSE_DATABASE: database });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/applied: 1_invocations/);
    expect((await llmops(['migrate'], { CLICKHOUSE_DATABASE: database })).stdout).toMatch(
      /is up to date/,
    );
    await fetch(
      `${testEndpoints().clickhouseUrl}/?query=${encodeURIComponent(`DROP DATABASE ${database}`)}`,
      { method: 'POST' },
    );
  });

  it('scans JSON lines for PII from stdin', async () => {
    const run = await llmops(['pii', 'scan'], {}, '{"id":"a","text":"mail 😀 bob@example.com"}\n');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout.trim());
    expect(out.id).toBe('a');
    expect(out.findings).toEqual([expect.objectContaining({ type: 'EMAIL', start: 8, end: 23 })]);
    const redacted = await llmops(
      ['pii', 'scan', '--redact'],
      {},
      '{"id":"a","text":"mail bob@example.com"}\n',
    );
    expect(JSON.parse(redacted.stdout.trim()).text).not.toContain('bob@example.com');
  });
});
