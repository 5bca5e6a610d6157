import * as fs from 'node:fs';
import * as path from 'node:path';
import { toCef } from './cef';
import { toEcs } from './ecs';
import { toOcsf, toOcsfApiActivity } from './ocsf/ocsf';
import { toSyslog } from './syslog';
import { GOLDEN_DIR, loadFixtures } from './testing/fixtures';

// Golden tests: every source kind (test-fixtures/events/*.json) in every
// format, compared with the committed outputs in test-fixtures/golden/.
// After an intended change: UPDATE_GOLDEN=1 npx jest --selectProjects unit,
// then `npx prettier --write libs/siem/test-fixtures`, then review the diff.
const update = process.env.UPDATE_GOLDEN === '1';

const SYSLOG_OPTS = { hostname: 'gw-1.example.net', procId: '4242' };

const formats: Array<{
  suffix: string;
  render: (e: ReturnType<typeof loadFixtures>[number]['event']) => unknown;
}> = [
  { suffix: 'ocsf.json', render: toOcsf },
  { suffix: 'ocsf-api-activity.json', render: toOcsfApiActivity },
  { suffix: 'cef.txt', render: toCef },
  { suffix: 'ecs.json', render: toEcs },
  { suffix: 'syslog.txt', render: (e) => toSyslog(e, SYSLOG_OPTS) },
];

function check(file: string, actual: unknown): void {
  const full = path.join(GOLDEN_DIR, file);
  const text = typeof actual === 'string' ? `${actual}\n` : `${JSON.stringify(actual, null, 2)}\n`;
  if (update) {
    fs.mkdirSync(GOLDEN_DIR, { recursive: true });
    fs.writeFileSync(full, text);
    return;
  }
  const expected = fs.readFileSync(full, 'utf8');
  if (typeof actual === 'string') {
    expect(text).toBe(expected);
  } else {
    expect(actual).toEqual(JSON.parse(expected));
  }
}

describe('golden outputs', () => {
  const fixtures = loadFixtures();

  it('cover every category of the contract', () => {
    expect(fixtures.map((f) => f.event.category).sort()).toEqual(
      [
        'authentication_failure',
        'budget_limit_breach',
        'forbidden_tool_call',
        'guardrail_violation',
        'other',
        'policy_violation',
        'revoked_key_use',
        'sensitive_data_exposure',
      ].sort(),
    );
  });

  describe.each(fixtures.map((f) => [f.name, f] as const))('%s', (name, f) => {
    it.each(formats.map((fmt) => [fmt.suffix, fmt] as const))(
      'renders %s as committed',
      (suffix, fmt) => {
        check(`${name}.${suffix}`, fmt.render(f.event));
      },
    );
  });

  it('renders syslog with an OCSF or ECS body as committed', () => {
    const e = fixtures.find((f) => f.name === 'guardrail-violation')!.event;
    check('guardrail-violation.syslog-ocsf.txt', toSyslog(e, { ...SYSLOG_OPTS, body: 'ocsf' }));
    check('guardrail-violation.syslog-ecs.txt', toSyslog(e, { ...SYSLOG_OPTS, body: 'ecs' }));
  });

  it('renders the same bytes for the same event every time', () => {
    for (const f of fixtures) {
      for (const fmt of formats) {
        expect(JSON.stringify(fmt.render(structuredClone(f.event)))).toBe(
          JSON.stringify(fmt.render(f.event)),
        );
      }
    }
  });
});
