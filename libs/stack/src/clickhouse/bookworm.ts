import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describeError, InstallError } from '../errors';
import { childEnvironment } from '../options';
import { runCommand } from '../run';
import type { ClickHouseCommand } from './binary';

const PACKAGES = ['clickhouse-server', 'clickhouse-common'];
const KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';
const COMPLETE_MARKER = '.complete';
/** The C runtime must be the system's own: an older copy on LD_LIBRARY_PATH would break the loader. */
const SYSTEM_ONLY = /^(libc6|libgcc-s1|libstdc\+\+6|libc-bin)_/;

/** The server extracted earlier by extractClickHouseFromBookworm, when complete. */
export function extractedClickHouse(targetDir: string): ClickHouseCommand | undefined {
  const root = path.join(targetDir, 'root');
  const server = path.join(root, 'usr', 'sbin', 'clickhouse-server');
  if (!existsSync(path.join(targetDir, COMPLETE_MARKER)) || !existsSync(server)) return undefined;
  return {
    command: server,
    args: [],
    env: childEnvironment({ LD_LIBRARY_PATH: libraryPath(root) }),
    source: 'extracted',
  };
}

export interface BookwormExtractOptions {
  /** Receives apt state, the .deb files and the unpacked tree (`root/`). */
  targetDir: string;
  log: (line: string) => void;
}

/**
 * For Debian releases without a clickhouse-server package (13): a private apt configuration
 * that points the system's own Debian mirror at the `bookworm` suite downloads Debian 12's
 * ClickHouse packages and whichever libraries they need that this system lacks; `dpkg -x`
 * unpacks them into the cache and the server runs with LD_LIBRARY_PATH set to their folders.
 * Nothing is installed system-wide.
 */
export async function extractClickHouseFromBookworm(
  options: BookwormExtractOptions,
): Promise<ClickHouseCommand> {
  const { targetDir, log } = options;
  const aptDir = path.join(targetDir, 'apt');
  const debsDir = path.join(targetDir, 'debs');
  const root = path.join(targetDir, 'root');
  await rm(targetDir, { recursive: true, force: true });
  for (const dir of ['lists/partial', 'archives/partial', 'sources.list.d', 'preferences.d']) {
    await mkdir(path.join(aptDir, dir), { recursive: true });
  }
  await mkdir(debsDir, { recursive: true });

  const mirror = await debianMirror();
  await writeFile(
    path.join(aptDir, 'sources.list'),
    `deb [signed-by=${KEYRING}] ${mirror} bookworm main\n`,
  );
  const aptConfig = path.join(aptDir, 'apt.conf');
  await writeFile(
    aptConfig,
    [
      `Dir::Etc::SourceList "${aptDir}/sources.list";`,
      `Dir::Etc::SourceParts "${aptDir}/sources.list.d";`,
      `Dir::Etc::Preferences "${aptDir}/preferences";`,
      `Dir::Etc::PreferencesParts "${aptDir}/preferences.d";`,
      `Dir::State::Lists "${aptDir}/lists";`,
      `Dir::Cache "${aptDir}/cache";`,
      `Dir::Cache::Archives "${aptDir}/archives";`,
      'Debug::NoLocking "true";',
      '',
    ].join('\n'),
  );
  const env = childEnvironment({ APT_CONFIG: aptConfig, DEBIAN_FRONTEND: 'noninteractive' });
  const apt = (args: string[], cwd?: string): Promise<string> =>
    runCommand('apt-get', args, { env, cwd }).catch((cause: unknown) => {
      throw new InstallError(
        `Fetching Debian 12's ClickHouse failed at apt-get ${args.join(' ')}: ${describeError(cause)}`,
        {
          component: 'clickhouse',
          cause,
        },
      );
    });

  log(`clickhouse: apt-get update against ${mirror} bookworm (private apt state in ${aptDir})`);
  await apt(['update']);
  await apt(['download', ...PACKAGES], debsDir);
  // Resolved against this system's installed packages: only what it lacks is downloaded.
  await apt(['install', '--download-only', '-y', '--no-install-recommends', ...PACKAGES]);

  const archives = path.join(aptDir, 'archives');
  const debs = [
    ...(await listDebs(debsDir)).map((name) => path.join(debsDir, name)),
    ...(await listDebs(archives)).map((name) => path.join(archives, name)),
  ].filter((deb) => !SYSTEM_ONLY.test(path.basename(deb)));
  log(`clickhouse: unpacking ${debs.length} packages into ${root}`);
  for (const deb of debs) await runCommand('dpkg', ['-x', deb, root]);

  const server = path.join(root, 'usr', 'sbin', 'clickhouse-server');
  const libraries = libraryPath(root);
  const ldd = await runCommand('ldd', [server], {
    env: childEnvironment({ LD_LIBRARY_PATH: libraries }),
  }).catch((cause: unknown) => {
    throw new InstallError(
      `The extracted ClickHouse server cannot be inspected: ${describeError(cause)}`,
      { component: 'clickhouse', cause },
    );
  });
  const missing = ldd.split('\n').filter((line) => line.includes('not found'));
  if (missing.length > 0) {
    throw new InstallError(
      `The extracted ClickHouse server still lacks libraries:\n${missing.join('\n')}`,
      { component: 'clickhouse' },
    );
  }
  await writeFile(path.join(targetDir, COMPLETE_MARKER), `${new Date().toISOString()}\n`);
  return {
    command: server,
    args: [],
    env: childEnvironment({ LD_LIBRARY_PATH: libraries }),
    source: 'extracted',
  };
}

function libraryPath(root: string): string {
  return ['usr/lib/x86_64-linux-gnu', 'lib/x86_64-linux-gnu', 'usr/lib', 'lib']
    .map((dir) => path.join(root, dir))
    .join(':');
}

async function listDebs(dir: string): Promise<string[]> {
  return existsSync(dir) ? (await readdir(dir)).filter((name) => name.endsWith('.deb')) : [];
}

/** The system's main Debian mirror, read from its apt sources (deb822 or one-line format). */
export async function debianMirror(sourcesDir = '/etc/apt'): Promise<string> {
  const files: string[] = [];
  const partsDir = path.join(sourcesDir, 'sources.list.d');
  if (existsSync(partsDir)) {
    for (const name of await readdir(partsDir)) {
      if (name.endsWith('.sources') || name.endsWith('.list'))
        files.push(path.join(partsDir, name));
    }
  }
  if (existsSync(path.join(sourcesDir, 'sources.list')))
    files.push(path.join(sourcesDir, 'sources.list'));
  for (const file of files) {
    const mirror = pickDebianMirror(await readFile(file, 'utf8'));
    if (mirror !== undefined) return mirror;
  }
  return 'http://deb.debian.org/debian';
}

/** The first address in an apt sources text that serves Debian's main archive (not its security archive). */
export function pickDebianMirror(text: string): string | undefined {
  const uris = [
    ...Array.from(text.matchAll(/^URIs:\s*(.+)$/gm), (match) =>
      (match[1] ?? '').trim().split(/\s+/),
    ).flat(),
    ...Array.from(text.matchAll(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+)/gm), (match) => match[1] ?? ''),
  ];
  return uris
    .find((uri) => /\/debian\/?$/.test(uri) && !uri.includes('security'))
    ?.replace(/\/$/, '');
}
