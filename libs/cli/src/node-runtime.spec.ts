import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ensureSuiteNode, SUITE_NODE_VERSION, withNodeOnPath } from './node-runtime';

describe('the node the suite runs on', () => {
  let repoRoot: string;
  const linux20 = {
    execPath: '/usr/bin/node',
    version: 'v20.20.2',
    platform: 'linux',
    arch: 'x64',
  } as const;

  beforeEach(async () => {
    repoRoot = await mkdtemp(path.join(tmpdir(), 'llmops-node-'));
  });
  afterEach(async () => {
    await rm(repoRoot, { recursive: true, force: true });
  });

  it('is the running node when that is Node 24', async () => {
    const runtime = await ensureSuiteNode(repoRoot, () => undefined, {
      ...linux20,
      execPath: '/opt/node24/bin/node',
      version: 'v24.1.0',
    });
    expect(runtime).toEqual({
      execPath: '/opt/node24/bin/node',
      binDir: '/opt/node24/bin',
      version: 'v24.1.0',
      source: 'running',
    });
  });

  it('reuses the Node 24 cached in .cache/node instead of fetching it again', async () => {
    const bin = path.join(repoRoot, '.cache', 'node', `v${SUITE_NODE_VERSION}`, 'bin');
    await mkdir(bin, { recursive: true });
    await writeFile(path.join(bin, 'node'), `#!/bin/sh\necho v${SUITE_NODE_VERSION}\n`);
    await chmod(path.join(bin, 'node'), 0o755);
    const lines: string[] = [];
    const runtime = await ensureSuiteNode(repoRoot, (l) => lines.push(l), linux20);
    expect(runtime).toEqual({
      execPath: path.join(bin, 'node'),
      binDir: bin,
      version: `v${SUITE_NODE_VERSION}`,
      source: 'cache',
    });
    expect(lines).toEqual([]);
  });

  it('refuses a node older than 22 where no Node 24 binary can be fetched', async () => {
    await expect(
      ensureSuiteNode(repoRoot, () => undefined, { ...linux20, platform: 'darwin' }),
    ).rejects.toThrow(/Node v20\.20\.2 is too old \(the project needs Node 22 or newer/);
  });

  it('puts its bin folder first on the PATH of child steps', () => {
    const env = withNodeOnPath(
      { PATH: '/usr/bin:/bin', OTHER: 'x' },
      { execPath: '/c/bin/node', binDir: '/c/bin', version: 'v24.22.3', source: 'cache' },
    );
    expect(env).toEqual({ PATH: `/c/bin${path.delimiter}/usr/bin:/bin`, OTHER: 'x' });
  });
});
