import { runSiemFormatCli } from '@llmops/siem';
import { parse, UsageError } from '../args';
import type { CliContext } from '../context';

const FORMATS = ['ocsf', 'cef', 'ecs', 'syslog'] as const;

export const siemHelp = `llmops siem format --format ocsf|cef|ecs|syslog
  reads security-event JSON lines on stdin and writes one formatted record per line`;

export async function siemCommand(_ctx: CliContext, argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'format') throw new UsageError(`siem: expected 'format'\n${siemHelp}`);
  const { values } = parse('siem format', rest, { format: { type: 'string', default: 'ocsf' } });
  const format = values.format as (typeof FORMATS)[number];
  if (!FORMATS.includes(format))
    throw new UsageError(`siem format: --format must be one of ${FORMATS.join(', ')}`);
  return runSiemFormatCli(process.stdin, process.stdout, process.stderr, { format });
}
