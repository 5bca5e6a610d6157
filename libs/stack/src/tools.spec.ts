import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { aptInstallCommand } from './apt';
import { InstallError } from './errors';
import { ensureTools, findOnPath, missingTools } from './tools';

describe('tools', () => {
  let dir: string;
  let savedPath: string | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'llmops-tools-'));
    await writeFile(path.join(dir, 'present-tool'), '#!/bin/sh\n');
    await chmod(path.join(dir, 'present-tool'), 0o755);
    await writeFile(path.join(dir, 'not-executable'), '');
    savedPath = process.env.PATH;
    process.env.PATH = dir;
  });

  afterAll(async () => {
    process.env.PATH = savedPath;
    await rm(dir, { recursive: true, force: true });
  });

  it('finds executables on the PATH and nothing else', () => {
    expect(findOnPath('present-tool')).toBe(path.join(dir, 'present-tool'));
    expect(findOnPath('not-executable')).toBeUndefined();
    expect(findOnPath('absent-tool')).toBeUndefined();
  });

  it('counts a tool as missing when its program is absent or its extra evidence is', () => {
    const tools = [
      { command: 'present-tool', packages: ['a'] },
      { command: 'present-tool', packages: ['a', 'a-plugin'], present: () => false },
      { command: 'absent-tool', packages: ['b'] },
    ];
    expect(missingTools(tools).map((t) => t.packages)).toEqual([['a', 'a-plugin'], ['b']]);
  });

  it('names the exact apt-get command, each package once, when it may not install', async () => {
    const failure = ensureTools(
      [
        { command: 'absent-tool', packages: ['b', 'b-extra'] },
        { command: 'other-absent', packages: ['b'] },
        { command: 'present-tool', packages: ['a'] },
      ],
      { install: false, log: () => undefined },
    );
    await expect(failure).rejects.toBeInstanceOf(InstallError);
    await expect(failure).rejects.toThrow(
      `absent-tool, other-absent missing; as root, run: ${aptInstallCommand(['b', 'b-extra'])}`,
    );
    expect(aptInstallCommand(['b', 'b-extra'])).toBe(
      'apt-get update && apt-get install -y --no-install-recommends b b-extra',
    );
  });

  it('does nothing when every tool is there', async () => {
    const lines: string[] = [];
    await ensureTools([{ command: 'present-tool', packages: ['a'] }], {
      install: true,
      log: (l) => lines.push(l),
    });
    expect(lines).toEqual([]);
  });
});
