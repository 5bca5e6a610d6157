import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { runSiemFormatCli, type SiemFormat } from './cli';

const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

function example(name: string): string {
  const m = new RegExp(`<!-- example:${name} -->\\n\\n?\`\`\`\\w*\\n([\\s\\S]*?)\\n\`\`\``).exec(
    readme,
  );
  if (!m) throw new Error(`README has no example:${name}`);
  return m[1]!;
}

describe('the README examples', () => {
  it.each(['ocsf', 'cef', 'ecs', 'syslog'] as const)(
    'show what the CLI writes for the example input as %s',
    async (format: SiemFormat) => {
      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on('data', (c: Buffer) => chunks.push(c));
      const code = await runSiemFormatCli(
        Readable.from([Buffer.from(`${example('input')}\n`)]),
        out,
        new PassThrough(),
        {
          format,
        },
      );
      expect(code).toBe(0);
      expect(Buffer.concat(chunks).toString('utf8')).toBe(`${example(format)}\n`);
    },
  );
});
