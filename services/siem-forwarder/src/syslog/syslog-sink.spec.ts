import { truncateForDatagram } from './syslog-sink';

const HEAD = '<83>1 2025-11-24T16:00:01.000Z h llmops - cat [llmops@32473 eventId="x"] ';

describe('truncateForDatagram', () => {
  it('keeps a message that fits unchanged', () => {
    const body = 'CEF:0|a|b';
    expect(truncateForDatagram(HEAD + body, body, 1000)).toEqual({
      bytes: Buffer.from(HEAD + body),
      truncated: false,
    });
  });

  it('cuts MSG at a UTF-8 character boundary', () => {
    const body = 'ééééé'; // 2 bytes each
    const cut = truncateForDatagram(HEAD + body, body, Buffer.byteLength(HEAD) + 3)!;
    expect(cut.truncated).toBe(true);
    expect(cut.bytes.toString()).toBe(`${HEAD}é`);
  });

  it('never leaves a lone escaping backslash at the end', () => {
    const body = 'a\\=b';
    const cut = truncateForDatagram(HEAD + body, body, Buffer.byteLength(HEAD) + 2)!;
    expect(cut.bytes.toString()).toBe(`${HEAD}a`);
    const escaped = 'a\\\\b';
    const cut2 = truncateForDatagram(HEAD + escaped, escaped, Buffer.byteLength(HEAD) + 3)!;
    expect(cut2.bytes.toString()).toBe(`${HEAD}a\\\\`);
  });

  it('refuses when the header and structured data alone do not fit', () => {
    expect(truncateForDatagram(`${HEAD}body`, 'body', 10)).toBeUndefined();
  });
});
