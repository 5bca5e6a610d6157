import { existsSync } from 'node:fs';
import { describeError, InstallError, type StackComponent } from './errors';
import { childEnvironment } from './options';
import { runCommand } from './run';

/** The command a person runs to install `packages` from Debian. */
export function aptInstallCommand(packages: readonly string[]): string {
  return `apt-get update && apt-get install -y --no-install-recommends ${packages.join(' ')}`;
}

export interface AptOptions {
  log: (line: string) => void;
  /** Named in errors; the stack's own servers set it. */
  component?: StackComponent;
  /** Said after the command in the error when this process may not install. */
  alternative?: string;
}

/**
 * Fails with the exact command to run unless this process can install Debian packages
 * itself: a Debian system, root, and apt-get on the PATH.
 */
export function assertCanApt(packages: readonly string[], options: AptOptions): void {
  const command = aptInstallCommand(packages);
  const alternative = options.alternative === undefined ? '' : ` (${options.alternative})`;
  if (!existsSync('/etc/debian_version')) {
    throw new InstallError(
      `${packages.join(', ')} missing and this is not Debian: install the equivalent of the Debian packages ${packages.join(' ')} yourself${alternative}`,
      { component: options.component },
    );
  }
  if (process.getuid?.() !== 0) {
    throw new InstallError(
      `${packages.join(', ')} missing; as root, run: ${command}${alternative}`,
      {
        component: options.component,
      },
    );
  }
}

const aptEnv = (): NodeJS.ProcessEnv => childEnvironment({ DEBIAN_FRONTEND: 'noninteractive' });

let updated: Promise<void> | undefined;

/** `apt-get update`, at most once per process (a failed one is tried again next time). */
export function aptUpdate(options: AptOptions): Promise<void> {
  updated ??= (async () => {
    options.log('apt: apt-get update');
    await runCommand('apt-get', ['update'], { env: aptEnv() }).catch((cause: unknown) => {
      updated = undefined;
      throw new InstallError(`apt-get update failed: ${describeError(cause)}`, {
        component: options.component,
        cause,
      });
    });
  })();
  return updated;
}

/** Installs Debian packages (after one `apt-get update`), or fails with the command to run. */
export async function aptInstall(packages: readonly string[], options: AptOptions): Promise<void> {
  assertCanApt(packages, options);
  await aptUpdate(options);
  options.log(`apt: apt-get install -y --no-install-recommends ${packages.join(' ')}`);
  await runCommand('apt-get', ['install', '-y', '--no-install-recommends', ...packages], {
    env: aptEnv(),
  }).catch((cause: unknown) => {
    throw new InstallError(`Installing ${packages.join(' ')} failed: ${describeError(cause)}`, {
      component: options.component,
      cause,
    });
  });
}

/** True when apt knows an installable version of `pkg` (run after `aptUpdate`). */
export async function hasAptCandidate(pkg: string): Promise<boolean> {
  const policy = await runCommand('apt-cache', ['policy', pkg]).catch(() => '');
  const candidate = /Candidate:\s*(\S+)/.exec(policy)?.[1];
  return candidate !== undefined && candidate !== '(none)';
}
