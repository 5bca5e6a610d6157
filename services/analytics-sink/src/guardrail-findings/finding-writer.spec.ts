import type { ClickHouseClient } from '@llmops/clickhouse';
import { ClickHouseRetriableError } from '@llmops/clickhouse';
import { guardrailFinding } from './finding-fixtures';
import { InvalidGuardrailFindingError } from './finding-errors';
import { GUARDRAIL_FINDING_ROW_COLUMNS } from './finding-row';
import { GuardrailFindingWriter } from './finding-writer';

function fakeClient(insert: jest.Mock = jest.fn().mockResolvedValue({ executed: true })) {
  return { client: { insert } as unknown as ClickHouseClient, insert };
}

describe('GuardrailFindingWriter', () => {
  it('sends one JSONEachRow insert per batch into guardrail_findings, naming its columns', async () => {
    const { client, insert } = fakeClient();
    const batch = [guardrailFinding(), guardrailFinding({ stage: 'output', mode: 'enforce' })];
    await new GuardrailFindingWriter(client, { database: 'analytics' }).write(batch);
    expect(insert).toHaveBeenCalledTimes(1);
    const params = insert.mock.calls[0][0] as { values: Array<{ finding_id: string }> };
    expect(params).toMatchObject({
      table: '`analytics`.`guardrail_findings`',
      format: 'JSONEachRow',
      columns: [...GUARDRAIL_FINDING_ROW_COLUMNS],
    });
    expect(params.values.map((r) => r.finding_id)).toEqual(batch.map((f) => f.finding_id));
  });

  it('does nothing for an empty batch', async () => {
    const { client, insert } = fakeClient();
    await new GuardrailFindingWriter(client, { database: 'analytics' }).write([]);
    expect(insert).not.toHaveBeenCalled();
  });

  it('writes nothing of a batch with a finding that cannot be stored, and says which', async () => {
    const { client, insert } = fakeClient();
    const write = new GuardrailFindingWriter(client, { database: 'analytics' }).write([
      guardrailFinding(),
      guardrailFinding({ finding_id: 'bad-1', time_ms: -5 }),
    ]);
    await expect(write).rejects.toBeInstanceOf(InvalidGuardrailFindingError);
    await expect(write).rejects.toMatchObject({ findingId: 'bad-1', retriable: false });
    expect(insert).not.toHaveBeenCalled();
  });

  it('throws a retriable error when ClickHouse cannot be reached', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), {
      code: 'ECONNREFUSED',
    });
    const { client } = fakeClient(jest.fn().mockRejectedValue(refused));
    const write = new GuardrailFindingWriter(client, { database: 'analytics' }).write([
      guardrailFinding(),
    ]);
    await expect(write).rejects.toBeInstanceOf(ClickHouseRetriableError);
    await expect(write).rejects.toThrow(
      /insert of 1 guardrail finding\(s\) into analytics\.guardrail_findings/,
    );
  });
});
