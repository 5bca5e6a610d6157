import { existsSync } from 'node:fs';
import path from 'node:path';
import { aptInstall, aptInstallCommand, aptUpdate, assertCanApt, hasAptCandidate } from '../apt';
import { InstallError } from '../errors';
import { extractClickHouseFromBookworm, extractedClickHouse } from './bookworm';

/** How to run the ClickHouse server on this machine. */
export interface ClickHouseCommand {
  command: string;
  /** Arguments before `--config-file=…` (the multi-call binary needs "server"). */
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
  source: 'system' | 'extracted';
}

const PACKAGES = ['clickhouse-server', 'clickhouse-client'] as const;
const ELSEWHERE = 'or point the tests at a ClickHouse of your own with CLICKHOUSE_URL';
const INSTALL_HINT = `${aptInstallCommand(PACKAGES)} (${ELSEWHERE})`;

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
  const apt = {
    log: options.log,
    component: 'clickhouse' as const,
    alternative: ELSEWHERE,
  };
  assertCanApt(PACKAGES, apt);
  options.log('clickhouse: not installed');
  await aptUpdate(apt);
  if (await hasAptCandidate('clickhouse-server')) {
    await aptInstall(PACKAGES, apt);
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
