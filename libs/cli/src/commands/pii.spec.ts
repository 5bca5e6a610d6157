import { UsageError } from '../args';
import type { CliContext } from '../context';
import { piiCommand, piiHelp } from './pii';

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

describe('piiCommand', () => {
  it.each([[[]], [['redact']], [['--redact']]])(
    'asks for the scan subcommand when given %j',
    async (argv) => {
      const err = await usageError(piiCommand(ctx, argv));
      expect(err.message).toBe(`pii: expected 'scan'\n${piiHelp}`);
    },
  );

  it('refuses an unknown option, naming pii scan', async () => {
    const err = await usageError(piiCommand(ctx, ['scan', '--format', 'json']));
    expect(err.message).toMatch(/^pii scan: .*'--format'/);
  });

  it('refuses a value given to --redact', async () => {
    const err = await usageError(piiCommand(ctx, ['scan', '--redact=yes']));
    expect(err.message).toMatch(/^pii scan: .*--redact/);
  });
});
