import { existsSync } from 'node:fs';
import path from 'node:path';
import { StackConfigError } from './errors';

/**
 * The repository root: the nearest folder, from `from` upwards, that holds `nx.json`.
 * @default from process.cwd()
 */
export function findRepoRoot(from: string = process.cwd()): string {
  let dir = path.resolve(from);
  for (;;) {
    if (existsSync(path.join(dir, 'nx.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new StackConfigError(
        `No nx.json found in ${path.resolve(from)} or any folder above it`,
      );
    }
    dir = parent;
  }
}
