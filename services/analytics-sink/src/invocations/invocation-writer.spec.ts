import type { ClickHouseClient } from '@llmops/clickhouse';
import { ClickHouseNonRetriableError, ClickHouseRetriableError } from '@llmops/clickhouse';
import { redactedInvocation } from './invocation-fixtures';
import { InvalidInvocationBatchError } from './invocation-errors';
import { INVOCATION_ROW_COLUMNS } from './invocation-row';
import { InvocationWriter } from './invocation-writer';

function fakeClient(insert: jest.Mock = jest.fn().mockResolvedValue({ executed: true })) {
  return { client: { insert } as unknown as ClickHouseClient, insert };
}

describe('InvocationWriter', () => {
  it('sends one JSONEachRow insert per batch, naming its columns', async () => {
    const { client, insert } = fakeClient();
    const batch = [redactedInvocation(), redactedInvocation(), redactedInvocation()];
    await new InvocationWriter(client, { database: 'analytics' }).write(batch);
    expect(insert).toHaveBeenCalledTimes(1);
    const params = insert.mock.calls[0][0] as { values: Array<{ event_id: string }> };
    expect(params).toMatchObject({
      table: '`analytics`.`invocations`',
      format: 'JSONEachRow',
      columns: [...INVOCATION_ROW_COLUMNS],
    });
    expect(params.values.map((r) => r.event_id)).toEqual(batch.map((i) => i.event_id));
  });

  it('does nothing for an empty batch', async () => {
    const { client, insert } = fakeClient();
    await new InvocationWriter(client, { database: 'analytics' }).write([]);
    expect(insert).not.toHaveBeenCalled();
  });

  it('writes nothing and names the invalid events when part of a batch cannot be stored', async () => {
    const { client, insert } = fakeClient();
    const good = redactedInvocation();
    const raw = redactedInvocation({ event_id: 'raw-1', redaction: null });
    const broken = redactedInvocation({ event_id: 'neg-1', usage: { input_tokens: -1 } });
    const write = new InvocationWriter(client, { database: 'analytics' }).write([
      good,
      raw,
      broken,
    ]);
    await expect(write).rejects.toBeInstanceOf(InvalidInvocationBatchError);
    await write.catch((err: InvalidInvocationBatchError) => {
      expect(err.eventIds).toEqual(['raw-1', 'neg-1']);
      expect(err.retriable).toBe(false);
    });
    expect(insert).not.toHaveBeenCalled();
  });

  it('throws a retriable error when ClickHouse cannot be reached', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), {
      code: 'ECONNREFUSED',
    });
    const { client } = fakeClient(jest.fn().mockRejectedValue(refused));
    const write = new InvocationWriter(client, { database: 'analytics' }).write([
      redactedInvocation(),
    ]);
    await expect(write).rejects.toBeInstanceOf(ClickHouseRetriableError);
    await expect(write).rejects.toMatchObject({ cause: refused, kind: 'network' });
  });

  it('throws a non-retriable error when ClickHouse rejects the data', async () => {
    const rejected = new Error(
      'Code: 41, e.displayText() = DB::Exception: Cannot parse datetime, e.what() = DB::Exception',
    );
    const { client } = fakeClient(jest.fn().mockRejectedValue(rejected));
    const write = new InvocationWriter(client, { database: 'analytics', table: 'inv2' }).write([
      redactedInvocation(),
    ]);
    await expect(write).rejects.toBeInstanceOf(ClickHouseNonRetriableError);
    await expect(write).rejects.toThrow(/insert of 1 invocation\(s\) into analytics\.inv2 failed/);
  });

  it('refuses database or table names that are not identifiers', () => {
    const { client } = fakeClient();
    expect(() => new InvocationWriter(client, { database: 'a;b' })).toThrow(/identifier/);
    expect(() => new InvocationWriter(client, { database: 'a', table: 'x y' })).toThrow(
      /identifier/,
    );
  });
});
