import { PassThrough, Readable } from 'node:stream';
import { toCef } from './cef';
import { runSiemFormatCli, type SiemFormatCliOptions } from './cli';
import { formatEcs } from './ecs';
import { formatOcsf } from './ocsf/ocsf';
import { toSyslog } from './syslog';
import { fixture, loadFixtures } from './testing/fixtures';

async function run(input: string | Buffer[], opts: SiemFormatCliOptions) {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  out.on('data', (c: Buffer) => chunks.out.push(c));
  err.on('data', (c: Buffer) => chunks.err.push(c));
  const source =
    typeof input === 'string' ? Readable.from([Buffer.from(input)]) : Readable.from(input);
  const code = await runSiemFormatCli(source, out, err, opts);
  return {
    code,
    out: Buffer.concat(chunks.out).toString('utf8'),
    err: Buffer.concat(chunks.err).toString('utf8'),
  };
}

const line = (name: string) => JSON.stringify(loadFixtures().find((f) => f.name === name)!.json);

describe('runSiemFormatCli', () => {
  it.each([
    ['ocsf', formatOcsf],
    ['cef', toCef],
    ['ecs', formatEcs],
    ['syslog', (e: Parameters<typeof toCef>[0]) => toSyslog(e)],
  ] as const)('writes one %s record per input line and exits 0', async (format, render) => {
    const fixtures = loadFixtures();
    const input = fixtures.map((f) => JSON.stringify(f.json)).join('\n') + '\n';
    const result = await run(input, { format });
    expect(result).toEqual({
      code: 0,
      out: fixtures.map((f) => `${render(f.event)}\n`).join(''),
      err: '',
    });
  });

  it('reports a bad line with its number, continues, and exits 1', async () => {
    const input = [
      line('guardrail-violation'),
      '{not json',
      JSON.stringify({ ...JSON.parse(line('other')), tenant_id: undefined, severity: 'severe' }),
      JSON.stringify({ ...JSON.parse(line('other')), time_ms: 300_000_000_000_000 }),
      line('other'),
    ].join('\n');
    const result = await run(input, { format: 'cef' });
    expect(result.code).toBe(1);
    expect(result.out).toBe(
      `${toCef(fixture('guardrail-violation'))}\n${toCef(fixture('other'))}\n`,
    );
    expect(result.err.split('\n')).toEqual([
      'line 2: not valid JSON',
      "line 3: security-event is invalid: severity: must be one of unknown, info, low, medium, high, critical (got string 'severe'); tenant_id: is required",
      'line 4: cannot be formatted: time_ms must be an integer from 0 to 253402300799999 (1970 to 9999), got 300000000000000',
      '',
    ]);
  });

  it('does not echo the content of an invalid line', async () => {
    const result = await run('{"user": "jane.doe@example.com", oops}\n', { format: 'ecs' });
    expect(result.err).toBe('line 1: not valid JSON\n');
  });

  it('ignores blank lines, accepts CRLF and a last line without a newline', async () => {
    const input = `\n${line('other')}\r\n   \n${line('policy-violation')}`;
    const result = await run(input, { format: 'ocsf' });
    expect(result.code).toBe(0);
    expect(result.out).toBe(
      `${formatOcsf(fixture('other'))}\n${formatOcsf(fixture('policy-violation'))}\n`,
    );
  });

  it('reassembles lines split across chunks, inside multi-byte characters too', async () => {
    const e = { ...(JSON.parse(line('other')) as object), reporter: 'größe-😀' };
    const bytes = Buffer.from(`${JSON.stringify(e)}\n${line('other')}\n`);
    const chunks = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
    const result = await run(chunks, { format: 'ecs' });
    expect(result.code).toBe(0);
    expect(result.out.split('\n')[0]).toContain('größe-😀');
  });

  it('skips a line longer than maxLineBytes without buffering it and goes on', async () => {
    const long = JSON.stringify({
      ...(JSON.parse(line('other')) as object),
      reporter: 'r'.repeat(5000),
    });
    const result = await run(`${long}\n${line('other')}\n`, { format: 'cef', maxLineBytes: 1000 });
    expect(result.code).toBe(1);
    expect(result.err).toBe('line 1: longer than 1000 bytes\n');
    expect(result.out).toBe(`${toCef(fixture('other'))}\n`);
  });

  it('passes syslog options through', async () => {
    const result = await run(`${line('other')}\n`, {
      format: 'syslog',
      syslog: { hostname: 'siem-fwd-1', body: 'ecs' },
    });
    expect(result.out).toBe(
      `${toSyslog(fixture('other'), { hostname: 'siem-fwd-1', body: 'ecs' })}\n`,
    );
  });

  it('exits 2 for an unknown format', async () => {
    const result = await run(`${line('other')}\n`, {
      format: 'leef' as SiemFormatCliOptions['format'],
    });
    expect(result.code).toBe(2);
    expect(result.err).toContain('unknown format "leef"');
    expect(result.out).toBe('');
  });

  it('waits for a slow output instead of buffering without bound', async () => {
    const out = new PassThrough({ highWaterMark: 16 });
    const err = new PassThrough();
    const input = Array.from({ length: 200 }, () => line('guardrail-violation')).join('\n');
    const done = runSiemFormatCli(Readable.from([Buffer.from(input)]), out, err, { format: 'cef' });
    let lines = 0;
    out.on('data', (c: Buffer) => {
      lines += c.toString('utf8').split('\n').length - 1;
    });
    await expect(done).resolves.toBe(0);
    expect(lines).toBe(200);
  });
});
