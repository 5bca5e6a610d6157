import { existsSync } from 'node:fs';
import path from 'node:path';
import { describeError, InstallError } from '../errors';
import { childEnvironment } from '../options';
import { runCommand } from '../run';
import { extractClickHouseFromBookworm, extractedClickHouse } from './bookworm';

/** How to run the ClickHouse server on this machine. */
export interface ClickHouseCommand {
  command: string;
  /** Arguments before `--config-file=…` (the multi-call binary needs "server"). */
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
  source: 'system' | 'extracted';
}

const INSTALL_HINT =
  'apt-get update && apt-get install -y clickhouse-server clickhouse-client ' +
  '(or point the tests at a ClickHouse of your own with CLICKHOUSE_URL)';

const SYSTEM_DIRS = ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin'];

/** A ClickHouse server in the usual system folders, or extracted earlier into `clickhouseDir`. */
export function findClickHouse(
  clickhouseDir: string,
  dirs: readonly string[] = SYSTEM_DIRS,
): ClickHouseCommand | undefined {
  for (const dir of dirs) {
    const server = path.join(dir, 'clickhouse-server');
    if (existsSync(server)) return { command: server, args: [], source: 'system' };
  }
  for (const dir of dirs) {
    const multi = path.join(dir, 'clickhouse');
    if (existsSync(multi)) return { command: multi, args: ['server'], source: 'system' };
  }
  return extractedClickHouse(path.join(clickhouseDir, 'dist'));
}

export interface EnsureClickHouseOptions {
  clickhouseDir: string;
  /** Install when missing; when false, fail with the command to run. */
  install: boolean;
  log: (line: string) => void;
}

/**
 * Finds the ClickHouse server, installing Debian's package when it is missing (Debian 12), or
 * extracting Debian 12's package and the libraries it needs into the cache (Debian 13, which
 * has no clickhouse-server package).
 */
export async function ensureClickHouse(
  options: EnsureClickHouseOptions,
): Promise<ClickHouseCommand> {
  const found = findClickHouse(options.clickhouseDir);
  if (found !== undefined) return found;
  if (!options.install) {
    throw new InstallError(`clickhouse-server is not installed. Install it: ${INSTALL_HINT}`, {
      component: 'clickhouse',
    });
  }
  if (!existsSync('/etc/debian_version')) {
    throw new InstallError(
      `clickhouse-server is not installed and this is not Debian; install ClickHouse yourself or set CLICKHOUSE_URL`,
      {
        component: 'clickhouse',
      },
    );
  }
  if (process.getuid?.() !== 0) {
    throw new InstallError(`clickhouse-server is not installed; as root, run: ${INSTALL_HINT}`, {
      component: 'clickhouse',
    });
  }
  const env = childEnvironment({ DEBIAN_FRONTEND: 'noninteractive' });
  options.log('clickhouse: not installed; running apt-get update');
  await runCommand('apt-get', ['update'], { env }).catch((cause: unknown) => {
    throw new InstallError(`apt-get update failed: ${describeError(cause)}`, {
      component: 'clickhouse',
      cause,
    });
  });
  if (await hasCandidate('clickhouse-server')) {
    options.log('clickhouse: apt-get install -y clickhouse-server clickhouse-client');
    await runCommand(
      'apt-get',
      ['install', '-y', '--no-install-recommends', 'clickhouse-server', 'clickhouse-client'],
      { env },
    ).catch((cause: unknown) => {
      throw new InstallError(`Installing clickhouse-server failed: ${describeError(cause)}`, {
        component: 'clickhouse',
        cause,
      });
    });
    const installed = findClickHouse(options.clickhouseDir);
    if (installed !== undefined) return installed;
    throw new InstallError(
      'apt-get installed clickhouse-server but no clickhouse-server binary was found',
      { component: 'clickhouse' },
    );
  }
  options.log(
    'clickhouse: no clickhouse-server package for this release; extracting Debian 12 (bookworm) packages into the cache',
  );
  return extractClickHouseFromBookworm({
    targetDir: path.join(options.clickhouseDir, 'dist'),
    log: options.log,
  });
}

async function hasCandidate(pkg: string): Promise<boolean> {
  const policy = await runCommand('apt-cache', ['policy', pkg]).catch(() => '');
  const candidate = /Candidate:\s*(\S+)/.exec(policy)?.[1];
  return candidate !== undefined && candidate !== '(none)';
}
