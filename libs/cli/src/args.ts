import { parseArgs } from 'node:util';

/** A command-line mistake: printed with the usage of the command, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

/** parseArgs with errors that say which command and what to do. */
/** Parsed options (string or boolean) and positional arguments. */
export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export function parse(command: string, argv: string[], options: Options): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options,
      allowPositionals: true,
      strict: true,
    });
    return { values: values, positionals };
  } catch (err) {
    throw new UsageError(`${command}: ${(err as Error).message}`);
  }
}

export function required(
  command: string,
  name: string,
  value: string | boolean | undefined,
): string {
  if (typeof value !== 'string' || value.length === 0)
    throw new UsageError(`${command}: --${name} is required`);
  return value;
}
