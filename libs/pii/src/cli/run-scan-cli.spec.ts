import { PassThrough, Readable } from 'node:stream';
import { valueHash } from '../redact/hash';
import { runScanCli } from './run-scan-cli';

async function run(
  lines: string[],
  opts: { redact: boolean; hmacKey?: string },
): Promise<{ code: number; out: unknown[] }> {
  const input = Readable.from([lines.join('\n')]);
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (c: Buffer) => chunks.push(c));
  const code = await runScanCli(input, output, opts);
  output.end();
  const out = Buffer.concat(chunks)
    .toString('utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as unknown);
  return { code, out };
}

describe('runScanCli', () => {
  it('writes findings per line and exits 0', async () => {
    const { code, out } = await run(
      ['{"id":"a","text":"mail bob@x.io"}', '{"id":2,"text":"nothing"}'],
      { redact: false },
    );
    expect(code).toBe(0);
    expect(out).toEqual([
      { id: 'a', findings: [{ type: 'EMAIL', start: 5, end: 13, score: 0.95 }] },
      { id: 2, findings: [] },
    ]);
  });

  it('writes redacted text with placeholders', async () => {
    const { out } = await run(['{"id":"a","text":"bob@x.io, bob@x.io, card 4111111111111111"}'], {
      redact: true,
    });
    expect(out).toEqual([{ id: 'a', text: '<EMAIL_1>, <EMAIL_1>, card <CREDIT_CARD_1>' }]);
  });

  it('adds a keyed value hash when given a key', async () => {
    const { out } = await run(['{"id":"a","text":"bob@x.io"}'], { redact: false, hmacKey: 'k' });
    expect(out).toEqual([
      {
        id: 'a',
        findings: [
          {
            type: 'EMAIL',
            start: 0,
            end: 8,
            score: 0.95,
            valueHash: valueHash('k', '', 'bob@x.io'),
          },
        ],
      },
    ]);
  });

  it('reports bad lines by number without echoing them, keeps going and exits 1', async () => {
    const { code, out } = await run(
      [
        '{"id":"a","text":"x"}',
        '{not json bob@x.io',
        '',
        '[1,2]',
        '{"id":"b"}',
        '{"id":{},"text":"x"}',
        '{"id":"c","text":"a@b.co"}',
      ],
      { redact: false },
    );
    expect(code).toBe(1);
    expect(out).toEqual([
      { id: 'a', findings: [] },
      { line: 2, error: expect.stringMatching(/^invalid JSON/) },
      { line: 4, error: 'expected a JSON object with "id" and "text"' },
      { line: 5, error: '"text" must be a string' },
      { line: 6, error: '"id" must be a string or a number' },
      { id: 'c', findings: [{ type: 'EMAIL', start: 0, end: 6, score: 0.95 }] },
    ]);
    expect(JSON.stringify(out)).not.toContain('bob@x.io');
  });

  it('exits 2 when the input stream fails', async () => {
    const input = new Readable({ read() {} });
    const output = new PassThrough();
    const done = runScanCli(input, output, { redact: false });
    input.destroy(new Error('disk gone'));
    expect(await done).toBe(2);
  });
});
