import fc from 'fast-check';
import { ApiError } from '../http/api-error';
import { contentSlots } from './apis/gateway-api';
import { rewriteJson } from './call-hooks';
import { PiiGuard, StreamRestorer, restoreText } from './pii-guard';

const guard = new PiiGuard();
const body = () => ({
  messages: [
    { role: 'system', content: 'You help jane.doe@example.com.' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Call +44 20 7946 0958 or mail jane.doe@example.com' },
        { type: 'image_url', image_url: { url: 'x' } },
      ],
    },
  ],
});
const slots = (b: ReturnType<typeof body>) => b.messages.flatMap((m) => contentSlots(m, 'content'));

describe('PiiGuard', () => {
  it('leaves the request alone under allow', () => {
    const b = body();
    expect(guard.apply('allow', slots(b), 't', 'external')).toEqual({ action: 'allow', types: [] });
    expect(b).toEqual(body());
  });

  it('replaces every value with a placeholder numbered per call under redact, one value one placeholder', () => {
    const b = body();
    const out = guard.apply('redact', slots(b), 't', 'external');
    expect(out.types).toEqual(['EMAIL', 'PHONE']);
    expect(out.restore).toBeUndefined();
    expect(JSON.stringify(b)).not.toMatch(/jane|7946/);
    expect(b.messages[0]!.content).toBe('You help <EMAIL_1>.');
    expect(b.messages[1]!.content).toEqual([
      { type: 'text', text: 'Call <PHONE_1> or mail <EMAIL_1>' },
      { type: 'image_url', image_url: { url: 'x' } },
    ]);
  });

  it('keeps the map back to the values under restore', () => {
    const out = guard.apply('restore', slots(body()), 't', 'external');
    expect(out.restore).toEqual(
      new Map([
        ['<EMAIL_1>', 'jane.doe@example.com'],
        ['<PHONE_1>', '+44 20 7946 0958'],
      ]),
    );
  });

  it('says to refuse under block, naming the types and never the values, and changes nothing', () => {
    const b = body();
    const out = guard.apply('block', slots(b), 't', 'external');
    expect(out.types).toEqual(['EMAIL', 'PHONE']);
    expect(out.blocked).toBeInstanceOf(ApiError);
    expect(out.blocked!.code).toBe('pii_blocked');
    const text = JSON.stringify(out.blocked!.getResponse());
    expect(text).toContain('EMAIL, PHONE');
    expect(text).not.toMatch(/jane|7946/);
    expect(b).toEqual(body());
    expect(
      guard.apply('block', [{ text: 'no pii here', set: () => undefined }], 't', 'external')
        .blocked,
    ).toBeUndefined();
  });
});

describe('restoring values', () => {
  const map = new Map([
    ['<EMAIL_1>', 'jane.doe@example.com'],
    ['<PHONE_12>', '+44 20 7946 0958'],
  ]);

  it('restores placeholders in text and in every string of a JSON value, and leaves unknown ones', () => {
    expect(restoreText('mail <EMAIL_1> or <EMAIL_2>', map)).toBe(
      'mail jane.doe@example.com or <EMAIL_2>',
    );
    expect(
      rewriteJson({ a: ['<PHONE_12>', 3, { b: '<EMAIL_1>' }] }, (t) => restoreText(t, map)),
    ).toEqual({
      a: ['+44 20 7946 0958', 3, { b: 'jane.doe@example.com' }],
    });
  });

  it('gives the same streamed text as restoring the whole, however the deltas are cut', () => {
    const text = 'Dear <EMAIL_1>, call <PHONE_12> (not <EMAIL_9>) a < b <E';
    const whole = restoreText(text, map);
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: text.length - 1 }), { maxLength: 8 }),
        (cuts) => {
          const at = [...new Set(cuts)].sort((a, b) => a - b);
          const r = new StreamRestorer(map);
          let got = '';
          let from = 0;
          for (const c of [...at, text.length]) {
            got += r.delta('s', text.slice(from, c));
            from = c;
          }
          got += r.flush('s');
          expect(got).toBe(whole);
        },
      ),
      { numRuns: 500, seed: 20261201 },
    );
  });

  it('keeps what it holds back apart per stream', () => {
    const r = new StreamRestorer(map);
    expect(r.delta('a', 'x <EMA')).toBe('x ');
    expect(r.delta('b', 'y <PHO')).toBe('y ');
    expect(r.delta('a', 'IL_1> z')).toBe('jane.doe@example.com z');
    expect(r.flush('b')).toBe('<PHO');
  });
});
