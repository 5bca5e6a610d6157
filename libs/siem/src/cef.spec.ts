import { escapeCefExtension, escapeCefHeader, toCef } from './cef';
import { eventWithEveryString, fixture, loadFixtures } from './testing/fixtures';
import { parseCef } from './testing/parsers';

describe('escapeCefHeader', () => {
  it('escapes backslashes and pipes', () => {
    expect(escapeCefHeader('a|b\\c')).toBe('a\\|b\\\\c');
  });

  it('turns line breaks and other control characters into spaces', () => {
    expect(escapeCefHeader('a\r\nb\tc\u0000d\u2028e')).toBe('a  b c d e');
  });

  it('leaves equals signs alone', () => {
    expect(escapeCefHeader('a=b')).toBe('a=b');
  });
});

describe('escapeCefExtension', () => {
  it('escapes backslashes and equals signs', () => {
    expect(escapeCefExtension('a=b\\c')).toBe('a\\=b\\\\c');
  });

  it('writes a line break as \\n and a lone carriage return as \\r', () => {
    expect(escapeCefExtension('a\r\nb\nc\rd')).toBe('a\\nb\\nc\\rd');
  });

  it('leaves pipes alone and turns other control characters into spaces', () => {
    expect(escapeCefExtension('a|b\u0000c\u007fd')).toBe('a|b c d');
  });

  it('escapes a trailing backslash so it cannot swallow the next separator', () => {
    expect(escapeCefExtension('a\\')).toBe('a\\\\');
  });
});

describe('toCef', () => {
  it('writes the header CEF:0|llmops|llmops|0.1.0|<category>|<title>|<severity>', () => {
    const cef = parseCef(toCef(fixture('forbidden-tool-call')));
    expect(cef.header).toEqual([
      'CEF:0',
      'llmops',
      'llmops',
      '0.1.0',
      'forbidden_tool_call',
      'Forbidden tool call: delete_repository',
      '10',
    ]);
  });

  it.each([
    ['unknown', 'Unknown'],
    ['info', '1'],
    ['low', '3'],
    ['medium', '5'],
    ['high', '8'],
    ['critical', '10'],
  ] as const)('maps severity %s to %s', (severity, cef) => {
    expect(parseCef(toCef({ ...fixture('guardrail-violation'), severity })).header[6]).toBe(cef);
  });

  it('writes the standard keys and labelled custom strings', () => {
    const e = fixture('guardrail-violation');
    const ext = parseCef(toCef(e)).extension;
    const one = (k: string) => ext.get(k);
    expect(one('rt')).toEqual([String(e.time_ms)]);
    expect(one('externalId')).toEqual([e.event_id]);
    expect(one('suser')).toEqual(['u-1842']);
    expect(one('act')).toEqual(['blocked']);
    expect(one('outcome')).toEqual(['failure']);
    expect(one('request')).toEqual(['/v1/chat/completions']);
    expect(one('src')).toEqual(['203.0.113.7']);
    expect(one('cs1')).toEqual(['acme']);
    expect(one('cs1Label')).toEqual(['tenantId']);
    expect(one('cs2')).toEqual([e.trace_id]);
    expect(one('cs2Label')).toEqual(['traceId']);
    expect(one('cs6')).toEqual(['gr-prompt-injection']);
    expect(one('cs6Label')).toEqual(['ruleId']);
    expect(one('msg')![0]).toContain('Guardrail violation: Prompt injection');
  });

  it('writes every record of the golden inputs as one parseable line', () => {
    for (const f of loadFixtures()) {
      const line = toCef(f.event);
      expect(line).not.toMatch(/[\r\n]/);
      const cef = parseCef(line);
      for (const values of cef.extension.values()) expect(values).toHaveLength(1);
    }
  });

  it('does not let a user id forge a second suser or any other key', () => {
    const e = fixture('guardrail-violation');
    const hostile = 'mallory suser=admin act=allowed cs1=other-tenant';
    const ext = parseCef(toCef({ ...e, actor: { ...e.actor, user_id: hostile } })).extension;
    expect(ext.get('suser')).toEqual([hostile]);
    expect(ext.get('act')).toEqual(['blocked']);
    expect(ext.get('cs1')).toEqual(['acme']);
  });

  it('does not let a tool name forge a key through msg', () => {
    const e = fixture('forbidden-tool-call');
    const tool = 'rm msg=fine suser=admin outcome=success';
    const ext = parseCef(toCef({ ...e, target: { ...e.target, tool_name: tool } })).extension;
    expect(ext.get('suser')).toEqual(['u-77']);
    expect(ext.get('outcome')).toEqual(['failure']);
    expect(ext.get('msg')).toHaveLength(1);
    expect(ext.get('msg')![0]).toContain(tool);
    expect(ext.get('flexString2')).toEqual([tool]);
  });

  it('does not let a rule name add header fields or break the line', () => {
    const e = fixture('guardrail-violation');
    const name = 'x|9|suser=admin\\|\r\nCEF:0|evil|evil|1|1|forged|10|';
    const line = toCef({ ...e, rule: { ...e.rule!, name } });
    expect(line.split('\n')).toHaveLength(1);
    const cef = parseCef(line);
    expect(cef.header[5]).toBe(
      'Guardrail violation: x|9|suser=admin\\|  CEF:0|evil|evil|1|1|forged|10|',
    );
    expect(cef.header[6]).toBe('8');
    expect(cef.extension.get('suser')).toEqual(['u-1842']);
    expect(cef.extension.get('reason')).toEqual([name.replace('\r\n', '\n')]);
  });

  it('keeps every field intact with hostile strings everywhere', () => {
    const hostile = 'a=b\\c|d\ne]f"g suser=root';
    const cef = parseCef(toCef(eventWithEveryString(hostile)));
    expect(cef.extension.get('suser')).toEqual([hostile]);
    expect(cef.extension.get('externalId')).toEqual([hostile]);
    expect(cef.extension.get('cs1')).toEqual([hostile]);
    expect(cef.extension.has('src')).toBe(false);
    for (const values of cef.extension.values()) expect(values).toHaveLength(1);
  });
});
