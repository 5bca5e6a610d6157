import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

describe('generated contract types', () => {
  it('are up to date with schemas/*.avsc', () => {
    const script = path.join(__dirname, '../scripts/codegen.js');
    expect(() =>
      execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' }),
    ).not.toThrow();
  });
});
