import { guardrailFinding } from './finding-fixtures';
import { InvalidGuardrailFindingError } from './finding-errors';
import { GUARDRAIL_FINDING_ROW_COLUMNS, toGuardrailFindingRow } from './finding-row';

describe('toGuardrailFindingRow', () => {
  it('gives every column of the table, the second of the finding as its time', () => {
    const f = guardrailFinding({ time_ms: Date.UTC(2025, 2, 14, 9, 26, 53, 589) });
    const row = toGuardrailFindingRow(f);
    expect(Object.keys(row).sort()).toEqual([...GUARDRAIL_FINDING_ROW_COLUMNS].sort());
    expect(row).toMatchObject({
      finding_id: f.finding_id,
      time: '2025-03-14 09:26:53',
      time_ms: f.time_ms,
      rule_id: 'prompt-injection',
      rule_revision: 2,
      mode: 'detect',
      detail: 'phrases[0] found in messages[1]',
      duration_us: 14,
    });
  });

  it("stores absent optional strings as '' and an unusable check duration as NULL", () => {
    const row = toGuardrailFindingRow(
      guardrailFinding({
        user_id: null,
        span_id: null,
        detail: null,
        tool_name: null,
        endpoint_host: null,
        duration_us: -3,
      }),
    );
    expect(row).toMatchObject({
      user_id: '',
      span_id: '',
      detail: '',
      tool_name: '',
      endpoint_host: '',
      duration_us: null,
    });
  });

  it('refuses a finding without id or tenant, outside DateTime, or with a negative revision, listing every problem', () => {
    let error: InvalidGuardrailFindingError | undefined;
    try {
      toGuardrailFindingRow(
        guardrailFinding({ finding_id: '', tenant_id: '', time_ms: -1, rule_revision: -1 }),
      );
    } catch (e) {
      error = e as InvalidGuardrailFindingError;
    }
    expect(error).toBeInstanceOf(InvalidGuardrailFindingError);
    expect(error!.retriable).toBe(false);
    expect(error!.problems).toEqual([
      'finding_id is empty',
      'tenant_id is empty',
      'time_ms -1 is outside 1970-01-01..2106-02-07 (epoch milliseconds)',
      'rule_revision must be a non-negative 32-bit integer (got -1)',
    ]);
  });
});
