import { readFileSync } from 'node:fs';
import { GuardrailConfigError, loadRules, type Rule } from '@llmops/guardrails';
import { UsageError } from '../../args';

/** A file's text; a file that cannot be read is the user's to fix (`cannot read x (ENOENT)`). */
export function readText(command: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(
      `${command}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
}

/** The rules of a YAML or JSON rules file, every problem of it in the error. */
export function readRules(command: string, file: string): Rule[] {
  try {
    return loadRules(readText(command, file), file);
  } catch (err) {
    if (err instanceof GuardrailConfigError) throw new UsageError(`${command}: ${err.message}`);
    throw err;
  }
}
