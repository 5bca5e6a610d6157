import * as path from 'node:path';
import {
  listSavedQueries,
  loadSavedQuery,
  parseSavedQuery,
  renderSavedQuery,
  type SavedQuery,
} from './saved-queries';
import { SqlBindingError } from './sql';
import { SqlScriptError } from './sql-script';

const QUERIES_DIR = path.resolve(__dirname, '../../../deploy/clickhouse/queries');

const example = `-- Example query.
-- Second line.
SELECT count() FROM {{database}}.invocations FINAL
WHERE tenant_id = {{tenant:String}} AND toDate(start_time) >= {{from:Date}}
  AND x IN {{apps:Array(String)}} AND n > {{min:UInt32}} AND tenant_id != {{tenant:String}};
`;

describe('parseSavedQuery', () => {
  it('reads the description, the typed parameters once each, and one statement', () => {
    const q = parseSavedQuery('example', example);
    expect(q.description).toBe('Example query.\nSecond line.');
    expect(q.params).toEqual([
      { name: 'tenant', type: 'String' },
      { name: 'from', type: 'Date' },
      { name: 'apps', type: 'Array(String)' },
      { name: 'min', type: 'UInt32' },
    ]);
    expect(q.template.endsWith(';')).toBe(false);
  });

  it('requires a tenant filter', () => {
    expect(() => parseSavedQuery('q', 'SELECT 1 FROM {{database}}.t')).toThrow(
      /q\.sql has no \{\{tenant:String\}\} filter/,
    );
  });

  it('requires a type on every parameter but database', () => {
    expect(() => parseSavedQuery('q', 'SELECT {{tenant}}')).toThrow(/needs a type/);
    expect(() => parseSavedQuery('q', 'SELECT {{tenant:Strin}}')).toThrow(/needs a type/);
  });

  it('refuses one name with two types', () => {
    expect(() => parseSavedQuery('q', 'SELECT {{tenant:String}}, {{tenant:UInt8}}')).toThrow(
      /used as String and as UInt8/,
    );
  });

  it('refuses several statements', () => {
    expect(() => parseSavedQuery('q', 'SELECT {{tenant:String}}; SELECT 2')).toThrow(
      /exactly one statement/,
    );
  });
});

describe('renderSavedQuery', () => {
  const q: SavedQuery = parseSavedQuery('example', example);
  const ok = { tenant: "acme'; DROP TABLE x; --", from: '2025-01-01', apps: ['a', "b'"], min: 3 };

  it('binds every parameter by its declared type', () => {
    const text = renderSavedQuery(q, ok, 't_1');
    expect(text).toContain('FROM `t_1`.invocations FINAL');
    expect(text).toContain("tenant_id = 'acme\\'; DROP TABLE x; --'");
    expect(text).toContain("tenant_id != 'acme\\'; DROP TABLE x; --'");
    expect(text).toContain(">= toDate('2025-01-01')");
    expect(text).toContain("IN CAST(['a', 'b\\''] AS Array(String))");
    expect(text).toContain('n > toUInt32(3)');
  });

  it('names missing and unknown parameters', () => {
    expect(() => renderSavedQuery(q, { tenant: 'a', form: '2025-01-01' }, 'db')).toThrow(
      /missing parameter\(s\) from, apps, min; unknown parameter\(s\) form/,
    );
  });

  it('refuses values of the wrong type', () => {
    expect(() => renderSavedQuery(q, { ...ok, tenant: 5 }, 'db')).toThrow(
      /parameter tenant \(String\): expected a string/,
    );
    expect(() => renderSavedQuery(q, { ...ok, from: '2025-02-30' }, 'db')).toThrow(SqlBindingError);
    expect(() => renderSavedQuery(q, { ...ok, min: -1 }, 'db')).toThrow(/unsigned/);
    expect(() => renderSavedQuery(q, { ...ok, min: '3' }, 'db')).toThrow(/expected an integer/);
    expect(() => renderSavedQuery(q, { ...ok, apps: [1] as unknown as string[] }, 'db')).toThrow(
      /array of strings/,
    );
  });

  it('refuses a database name that is not an identifier', () => {
    expect(() => renderSavedQuery(q, ok, 'db; DROP')).toThrow(SqlBindingError);
  });
});

describe('the saved queries of deploy/clickhouse/queries', () => {
  it('all parse, are tenant-filtered, read with FINAL and say why in their header', async () => {
    const names = await listSavedQueries(QUERIES_DIR);
    expect(names).toEqual(
      expect.arrayContaining([
        'usage_by_day',
        'error_rate_by_day',
        'latency_by_day',
        'pii_findings_by_type',
        'invocation_by_event_id',
        'guardrail_findings_by_rule',
      ]),
    );
    for (const name of names) {
      const q = await loadSavedQuery(QUERIES_DIR, name);
      expect(q.params[0]).toEqual({ name: 'tenant', type: 'String' });
      expect(q.template).toMatch(/\{\{database\}\}\.(invocations|guardrail_findings) FINAL/);
      expect(q.description).toMatch(/Duplicate-free by FINAL/);
      expect(q.description).toMatch(/Params: /);
    }
  });

  it('refuses names that could leave the folder, and lists known names for typos', async () => {
    await expect(loadSavedQuery(QUERIES_DIR, '../migrations/0001_invocations')).rejects.toThrow(
      SqlBindingError,
    );
    await expect(loadSavedQuery(QUERIES_DIR, 'usage_by_dya')).rejects.toThrow(
      /no saved query "usage_by_dya" .*known: .*usage_by_day/,
    );
    await expect(loadSavedQuery(QUERIES_DIR, 'usage_by_dya')).rejects.toThrow(SqlScriptError);
  });
});
