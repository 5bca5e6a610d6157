import { toCef } from './cef';
import { SiemFormatError } from './errors';
import { escapeSdParamValue, formatRfc5424, frameOctetCounting, toSyslog } from './syslog';
import { eventWithEveryString, fixture, loadFixtures } from './testing/fixtures';
import { parseRfc5424 } from './testing/parsers';

describe('formatRfc5424', () => {
  const base = { facility: 10, severity: 3, timeMs: Date.UTC(2025, 10, 24, 16, 0, 0, 5) };

  it('writes PRI as facility * 8 + severity, VERSION 1 and an RFC 3339 UTC timestamp with milliseconds', () => {
    expect(formatRfc5424({ ...base, msg: 'x' })).toBe('<83>1 2025-11-24T16:00:00.005Z - - - - - x');
    expect(formatRfc5424({ ...base, facility: 23, severity: 7 })).toMatch(/^<191>1 /);
    expect(formatRfc5424({ ...base, facility: 0, severity: 0 })).toMatch(/^<0>1 /);
  });

  it('rejects a facility or severity outside the RFC ranges', () => {
    expect(() => formatRfc5424({ ...base, facility: 24 })).toThrow(SiemFormatError);
    expect(() => formatRfc5424({ ...base, severity: 8 })).toThrow(SiemFormatError);
  });

  it('restricts header fields to PRINTUSASCII and cuts them to their RFC lengths', () => {
    const m = parseRfc5424(
      formatRfc5424({
        ...base,
        hostname: 'h'.repeat(300),
        appName: 'app name\twith ümlaut'.padEnd(60, 'a'),
        procId: 'p'.repeat(200),
        msgId: 'm'.repeat(40),
      }),
    );
    expect(m.hostname).toHaveLength(255);
    expect(m.appName).toHaveLength(48);
    expect(m.appName).toMatch(/^app_name_with__mlaut/);
    expect(m.procId).toHaveLength(128);
    expect(m.msgId).toHaveLength(32);
  });

  it('writes NILVALUE for empty header fields and empty structured data', () => {
    expect(formatRfc5424({ ...base, hostname: '', appName: ' ' })).toBe(
      '<83>1 2025-11-24T16:00:00.005Z - _ - - -',
    );
  });

  it('rejects an SD-ID or PARAM-NAME the RFC does not allow', () => {
    expect(() => formatRfc5424({ ...base, structuredData: [{ id: 'a b', params: [] }] })).toThrow(
      SiemFormatError,
    );
    expect(() =>
      formatRfc5424({ ...base, structuredData: [{ id: 'x@32473', params: [['a]', 'v']] }] }),
    ).toThrow(SiemFormatError);
    expect(() =>
      formatRfc5424({ ...base, structuredData: [{ id: 'x'.repeat(33), params: [] }] }),
    ).toThrow(SiemFormatError);
  });

  it('starts a MSG with non-ASCII text with the UTF-8 BOM unless told not to', () => {
    expect(formatRfc5424({ ...base, msg: 'größe' })).toMatch(/ \uFEFFgröße$/);
    expect(formatRfc5424({ ...base, msg: 'size' })).toMatch(/ - size$/);
    expect(formatRfc5424({ ...base, msg: 'größe', bom: 'never' })).toMatch(/ - größe$/);
  });
});

describe('escapeSdParamValue', () => {
  it('escapes ", \\ and ]', () => {
    expect(escapeSdParamValue('a"b\\c]d')).toBe('a\\"b\\\\c\\]d');
  });

  it('turns control characters into spaces so line-feed framing survives', () => {
    expect(escapeSdParamValue('a\nb\rc\u0000d')).toBe('a b c d');
  });
});

describe('toSyslog', () => {
  it('writes the event time, severity, category and ids under the llmops@32473 SD-ID with a CEF MSG', () => {
    const e = fixture('guardrail-violation');
    const m = parseRfc5424(toSyslog(e, { hostname: 'gw-1', procId: '7' }));
    expect(m).toMatchObject({
      pri: 10 * 8 + 3,
      version: 1,
      timestamp: new Date(e.time_ms).toISOString(),
      hostname: 'gw-1',
      appName: 'llmops',
      procId: '7',
      msgId: 'guardrail_violation',
      msg: toCef(e),
    });
    expect(m.structuredData[0]).toEqual({
      id: 'llmops@32473',
      params: [
        ['eventId', e.event_id],
        ['category', 'guardrail_violation'],
        ['severity', 'high'],
        ['outcome', 'blocked'],
        ['tenantId', 'acme'],
        ['traceId', e.trace_id],
        ['invocationId', e.invocation_id],
      ],
    });
    expect(m.structuredData[1]).toEqual({
      id: 'origin',
      params: [
        ['software', 'llmops'],
        ['swVersion', '0.1.0'],
      ],
    });
  });

  it('uses the given facility and enterprise number', () => {
    const m = parseRfc5424(toSyslog(fixture('other'), { facility: 16, enterpriseNumber: 99999 }));
    expect(m.pri).toBe(16 * 8 + 5);
    expect(m.structuredData[0]!.id).toBe('llmops@99999');
  });

  it('writes one parseable line for every golden input', () => {
    for (const f of loadFixtures()) {
      for (const body of ['cef', 'ocsf', 'ecs'] as const) {
        const line = toSyslog(f.event, { body });
        expect(line).not.toMatch(/[\r\n]/);
        expect(parseRfc5424(line).msgId).toBe(f.event.category);
      }
    }
  });

  it('does not let a tenant id close the SD-ELEMENT and forge a parameter or element', () => {
    const hostile = 'acme"] [llmops@32473 tenantId="other" outcome="allowed"]';
    const e = { ...fixture('guardrail-violation'), tenant_id: hostile };
    const m = parseRfc5424(toSyslog(e));
    expect(m.structuredData).toHaveLength(2);
    const params = new Map(m.structuredData[0]!.params);
    expect(params.get('tenantId')).toBe(hostile);
    expect(params.get('outcome')).toBe('blocked');
    expect(m.structuredData[0]!.params.filter(([n]) => n === 'tenantId')).toHaveLength(1);
  });

  it('keeps every SD value intact with hostile strings everywhere', () => {
    const hostile = 'x\\"]y="z" [origin';
    const m = parseRfc5424(toSyslog(eventWithEveryString(hostile), { body: 'ecs' }));
    expect(m.structuredData.map((el) => el.id)).toEqual(['llmops@32473', 'origin']);
    expect(new Map(m.structuredData[0]!.params).get('eventId')).toBe(hostile);
    expect(JSON.parse(m.msg!)).toMatchObject({ event: { id: hostile } });
  });
});

describe('frameOctetCounting', () => {
  it('prefixes the message with its length in octets and a space (RFC 6587)', () => {
    expect(frameOctetCounting('<13>1 - - - - - - hi').toString('utf8')).toBe(
      '20 <13>1 - - - - - - hi',
    );
    const framed = frameOctetCounting('größe');
    expect(framed.toString('utf8')).toBe('7 größe');
    expect(framed.length).toBe(9);
  });

  it('frames a buffer as it is', () => {
    expect(frameOctetCounting(Buffer.from([0xef, 0xbb, 0xbf, 0x41]))).toEqual(
      Buffer.from('4 \uFEFFA', 'utf8'),
    );
  });

  it('lets a reader split a stream of frames back into the messages', () => {
    const messages = loadFixtures().map((f) => toSyslog(f.event));
    const stream = Buffer.concat(messages.map((m) => frameOctetCounting(m)));
    const out: string[] = [];
    for (let at = 0; at < stream.length;) {
      const space = stream.indexOf(0x20, at);
      const len = Number(stream.subarray(at, space).toString('ascii'));
      out.push(stream.subarray(space + 1, space + 1 + len).toString('utf8'));
      at = space + 1 + len;
    }
    expect(out).toEqual(messages);
  });
});
