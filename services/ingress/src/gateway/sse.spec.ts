import fc from 'fast-check';
import { SseSplitter } from './sse';

describe('SseSplitter', () => {
  it('reads events with their data and event fields, skipping comments', () => {
    const s = new SseSplitter();
    const events = s.push(
      Buffer.from(': keep-alive\n\nevent: ping\ndata: {"a":1}\n\ndata: line 1\ndata: line 2\n\n'),
    );
    expect(events.map((e) => [e.event, e.data])).toEqual([
      [undefined, undefined],
      ['ping', '{"a":1}'],
      [undefined, 'line 1\nline 2'],
    ]);
    expect(events[1]!.raw).toBe('event: ping\ndata: {"a":1}');
  });

  it('gives the same events however the bytes are cut, UTF-8 characters and CRLF included', () => {
    const text = 'data: {"t":"é😀"}\r\n\r\ndata: [DONE]\n\nevent: x\rdata: y\r\r';
    const bytes = Buffer.from(text);
    const whole = new SseSplitter().push(bytes).map((e) => e.data);
    expect(whole).toEqual(['{"t":"é😀"}', '[DONE]', 'y']);
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 6 }),
        (cuts) => {
          const at = [...new Set(cuts)].sort((a, b) => a - b);
          const s = new SseSplitter();
          const got: Array<string | undefined> = [];
          let from = 0;
          for (const c of [...at, bytes.length]) {
            got.push(...s.push(bytes.subarray(from, c)).map((e) => e.data));
            from = c;
          }
          got.push(...s.end().map((e) => e.data));
          expect(got).toEqual(whole);
        },
      ),
      { numRuns: 300, seed: 20261201 },
    );
  });

  it('returns a last event that lacks its blank line at the end', () => {
    const s = new SseSplitter();
    expect(s.push(Buffer.from('data: a\n\ndata: b'))).toHaveLength(1);
    expect(s.end().map((e) => e.data)).toEqual(['b']);
  });
});
