import { UsageError } from '../args';
import type { CliContext } from '../context';
import { siemCommand, siemHelp } from './siem';

/**
 * These tests only reach argument validation, which throws before a
 * command touches its context or stdin; the context is a stand-in.
 */
const ctx = { config: {} } as unknown as CliContext;

async function usageError(run: Promise<number>): Promise<UsageError> {
  try {
    await run;
  } catch (err) {
    if (err instanceof UsageError) return err;
    throw err;
  }
  throw new Error('expected a UsageError');
}

describe('siemCommand', () => {
  it.each([['xml'], ['OCSF'], ['']])(
    'refuses --format %j and lists the formats',
    async (format) => {
      const err = await usageError(siemCommand(ctx, ['format', '--format', format]));
      expect(err.message).toBe('siem format: --format must be one of ocsf, cef, ecs, syslog');
    },
  );

  it('refuses a missing --format value', async () => {
    const err = await usageError(siemCommand(ctx, ['format', '--format']));
    expect(err.message).toMatch(/^siem format: .*--format/);
  });

  it('refuses an unknown option', async () => {
    const err = await usageError(siemCommand(ctx, ['format', '--pretty']));
    expect(err.message).toMatch(/^siem format: .*'--pretty'/);
  });

  it.each([[[]], [['convert']], [['--format', 'cef']]])(
    'asks for the format subcommand when given %j',
    async (argv) => {
      const err = await usageError(siemCommand(ctx, argv));
      expect(err.message).toBe(`siem: expected 'format'\n${siemHelp}`);
    },
  );
});
