import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { aptInstall, aptInstallCommand } from './apt';
import { InstallError } from './errors';
import { childEnvironment } from './options';

/** A program some test or check runs, and the Debian packages that provide it. */
export interface Tool {
  /** The program, found on the PATH. */
  command: string;
  packages: readonly string[];
  /** Extra evidence that every package is there, e.g. a plugin another package ships. */
  present?: () => boolean;
}

/** The absolute path of `command` on `searchPath`, when it is an executable file there. */
export function findOnPath(
  command: string,
  searchPath: string = childEnvironment({}).PATH ?? '',
): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface EnsureToolsOptions {
  log: (line: string) => void;
  /** Install what is missing with apt-get (root on Debian); when false, fail with the command. */
  install: boolean;
}

/** The tools of `tools` that are missing, by the same test the caller's children use. */
export function missingTools(tools: readonly Tool[]): Tool[] {
  return tools.filter((t) => findOnPath(t.command) === undefined || t.present?.() === false);
}

/**
 * Makes sure every tool is installed: installs the missing ones' packages in one `apt-get
 * install` when this process may (root, Debian), and otherwise fails naming the exact command.
 */
export async function ensureTools(
  tools: readonly Tool[],
  options: EnsureToolsOptions,
): Promise<void> {
  const missing = missingTools(tools);
  if (missing.length === 0) return;
  const packages = [...new Set(missing.flatMap((t) => t.packages))];
  const names = missing.map((t) => t.command).join(', ');
  if (!options.install) {
    throw new InstallError(`${names} missing; as root, run: ${aptInstallCommand(packages)}`);
  }
  options.log(`tools: ${names} missing; installing ${packages.join(' ')}`);
  await aptInstall(packages, { log: options.log });
  const still = missingTools(missing);
  if (still.length > 0) {
    throw new InstallError(
      `${still.map((t) => t.command).join(', ')} still missing after installing ${packages.join(' ')}`,
    );
  }
}
