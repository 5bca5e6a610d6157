import { PiiEngine } from '../engine';
import { PiiConfigError } from '../errors';
import type { Finding } from '../types';
import { canonicalValue, valueHash } from './hash';
import { DEFAULT_DESTINATION_POLICIES, operatorFor, type RedactionPolicy } from './policy';
import { mask, Redactor } from './redactor';
import { scanFields } from './scan-fields';

const engine = new PiiEngine();
const key = 'test-key';
const redactor = (policy: RedactionPolicy): Redactor =>
  new Redactor({ hmacKey: key, tenant: 't1', policy });
const apply = (r: Redactor, text: string): string | null => r.apply(text, engine.scan(text)).text;

describe('valueHash', () => {
  it('is a stable hex HMAC-SHA256 that differs across tenants and keys', () => {
    const h = valueHash(key, 't1', 'a@b.co');
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(valueHash(key, 't1', 'a@b.co')).toBe(h);
    expect(valueHash(key, 't2', 'a@b.co')).not.toBe(h);
    expect(valueHash('other', 't1', 'a@b.co')).not.toBe(h);
    expect(valueHash(Buffer.from(key), 't1', 'a@b.co')).toBe(h);
  });

  it('separates tenant from value so that moving characters across them changes the hash', () => {
    expect(valueHash(key, 'ab', 'c')).not.toBe(valueHash(key, 'a', 'bc'));
  });

  it('is computed on a canonical form: one card, one hash', () => {
    expect(canonicalValue('CREDIT_CARD', '4111 1111-1111 1111')).toBe('4111111111111111');
    expect(canonicalValue('EMAIL', 'Bob@X.io')).toBe('bob@x.io');
  });
});

describe('Redactor operators', () => {
  const text = 'Mail bob@x.io or BOB@x.io, card 4111 1111 1111 1111, then alice@y.io.';

  it('placeholder numbers each value per type, the same value keeping its number', () => {
    expect(apply(redactor({ default: 'placeholder' }), text)).toBe(
      'Mail <EMAIL_1> or <EMAIL_1>, card <CREDIT_CARD_1>, then <EMAIL_2>.',
    );
  });

  it('tells the placeholder a value got, as apply wrote it', () => {
    const r = redactor({ default: 'placeholder' });
    apply(r, text);
    expect(r.placeholderFor('EMAIL', 'alice@y.io')).toBe('<EMAIL_2>');
    expect(r.placeholderFor('EMAIL', 'Bob@X.io')).toBe('<EMAIL_1>');
    // A value apply has not seen gets the next number, which apply would then use too.
    expect(r.placeholderFor('EMAIL', 'carol@z.io')).toBe('<EMAIL_3>');
    expect(apply(r, 'write carol@z.io')).toBe('write <EMAIL_3>');
  });

  it('redact replaces every finding with one marker', () => {
    expect(apply(redactor({ default: 'redact' }), 'card 4111 1111 1111 1111')).toBe(
      'card [REDACTED]',
    );
  });

  it('mask keeps the last four letters and digits and the punctuation', () => {
    expect(apply(redactor({ default: 'mask' }), 'card 4111 1111 1111 1111')).toBe(
      'card **** **** **** 1111',
    );
    expect(mask('abc')).toBe('***');
  });

  it('hash gives a typed, tenant-keyed token that repeats for the same value', () => {
    const out = apply(redactor({ default: 'hash' }), 'bob@x.io and bob@x.io') ?? '';
    const token = `<EMAIL#${valueHash(key, 't1', 'bob@x.io').slice(0, 16)}>`;
    expect(out).toBe(`${token} and ${token}`);
  });

  it('drop removes the whole field', () => {
    expect(
      apply(
        redactor({ default: 'placeholder', byType: { PRIVATE_KEY: 'drop' } }),
        '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----',
      ),
    ).toBeNull();
    expect(apply(redactor({ default: 'drop' }), 'nothing here')).toBe('nothing here');
  });

  it('chooses the operator per type', () => {
    expect(
      apply(
        redactor({ default: 'redact', byType: { EMAIL: 'placeholder' } }),
        'bob@x.io card 4111111111111111',
      ),
    ).toBe('<EMAIL_1> card [REDACTED]');
  });

  it('skips overlapping or out-of-range findings instead of corrupting the text', () => {
    const bad: Finding[] = [
      { type: 'EMAIL', start: 0, end: 5, score: 1, rule: 'x' },
      { type: 'EMAIL', start: 3, end: 8, score: 1, rule: 'x' },
      { type: 'EMAIL', start: 9, end: 99, score: 1, rule: 'x' },
    ];
    expect(redactor({ default: 'redact' }).apply('0123456789', bad).text).toBe('[REDACTED]56789');
  });

  it('rejects an unknown operator or an empty key with a typed error', () => {
    expect(() => redactor({ default: 'shred' as never })).toThrow(PiiConfigError);
    expect(() => redactor({ default: 'redact', byType: { EMAIL: 'x' as never } })).toThrow(
      /byType.EMAIL/,
    );
    expect(() => new Redactor({ hmacKey: '', tenant: 't', policy: { default: 'redact' } })).toThrow(
      /hmacKey/,
    );
  });
});

describe('default destination policies', () => {
  it('send placeholders to external endpoints and keep hashes, masks and no secrets internally', () => {
    const { external, internal } = DEFAULT_DESTINATION_POLICIES;
    expect(operatorFor(external, 'EMAIL')).toBe('placeholder');
    expect(operatorFor(external, 'AWS_SECRET_KEY')).toBe('placeholder');
    expect(operatorFor(internal, 'EMAIL')).toBe('hash');
    expect(operatorFor(internal, 'CREDIT_CARD')).toBe('mask');
    expect(operatorFor(internal, 'PRIVATE_KEY')).toBe('redact');
  });
});

describe('scanFields', () => {
  const fields = [
    { field: 'system', text: 'Support for bob@x.io' },
    { field: 'messages[0].content', text: 'I am bob@x.io, card 4111111111111111; cc alice@y.io' },
    { field: 'response', text: 'Sure, I emailed alice@y.io and bob@x.io.' },
  ];

  it('keeps placeholder numbers stable across all fields of one invocation', () => {
    const r = redactor(DEFAULT_DESTINATION_POLICIES.external);
    const out = scanFields(engine, r, fields, { key, tenant: 't1' });
    expect(out.fields.map((f) => f.text)).toEqual([
      'Support for <EMAIL_1>',
      'I am <EMAIL_1>, card <CREDIT_CARD_1>; cc <EMAIL_2>',
      'Sure, I emailed <EMAIL_2> and <EMAIL_1>.',
    ]);
  });

  it('reports findings with their field and a keyed hash, never the value', () => {
    const out = scanFields(engine, redactor({ default: 'redact' }), fields, { key, tenant: 't1' });
    expect(out.findings).toHaveLength(6);
    const first = out.findings[0]!;
    expect(first).toEqual({
      type: 'EMAIL',
      start: 12,
      end: 20,
      score: 0.95,
      rule: 'email.rfc5321',
      field: 'system',
      valueHash: valueHash(key, 't1', 'bob@x.io'),
    });
    expect(JSON.stringify(out.findings)).not.toMatch(/bob@x\.io|4111111111111111/);
  });

  it('returns null text for a dropped field and keeps the others', () => {
    const out = scanFields(
      engine,
      redactor({ default: 'redact', byType: { CREDIT_CARD: 'drop' } }),
      fields,
      { key, tenant: 't1' },
    );
    expect(out.fields.map((f) => f.text === null)).toEqual([false, true, false]);
  });
});
