import * as crypto from 'node:crypto';

// A spy on timingSafeEqual that still compares, to see that keyMatches goes through it.
jest.mock('node:crypto', () => {
  const actual = jest.requireActual<typeof import('node:crypto')>('node:crypto');
  return { ...actual, timingSafeEqual: jest.fn(actual.timingSafeEqual) };
});

import {
  ALL_SCOPES,
  generateApiKey,
  keyMatches,
  parseKeyId,
  parseScopes,
  sha256,
} from './api-key-format';

describe('generateApiKey', () => {
  it('makes a key of the form llm_<16 lowercase hex id>_<43 base64url characters>', () => {
    const { key, keyId } = generateApiKey();
    expect(keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(key).toMatch(/^llm_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(key.startsWith(`llm_${keyId}_`)).toBe(true);
  });

  it('stores only the SHA-256 of the whole key', () => {
    const { key, secretSha256 } = generateApiKey();
    expect(secretSha256).toBe(crypto.createHash('sha256').update(key).digest('hex'));
    expect(secretSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(secretSha256).not.toContain(key.slice(21));
  });

  it('never repeats a key id or a key', () => {
    const keys = Array.from({ length: 500 }, () => generateApiKey());
    expect(new Set(keys.map((k) => k.keyId)).size).toBe(500);
    expect(new Set(keys.map((k) => k.key)).size).toBe(500);
  });

  it('makes keys whose id parseKeyId reads back', () => {
    for (let i = 0; i < 50; i++) {
      const { key, keyId } = generateApiKey();
      expect(parseKeyId(key)).toBe(keyId);
    }
  });
});

describe('parseKeyId', () => {
  const secret = 'A'.repeat(40) + '_-9';

  it('returns the id of a well-formed key', () => {
    expect(parseKeyId(`llm_0123456789abcdef_${secret}`)).toBe('0123456789abcdef');
  });

  it.each([
    ['an empty string', ''],
    ['a wrong prefix', `key_0123456789abcdef_${secret}`],
    ['an id of 15 characters', `llm_0123456789abcde_${secret}`],
    ['an upper-case id', `llm_0123456789ABCDEF_${secret}`],
    ['a secret one character short', `llm_0123456789abcdef_${secret.slice(1)}`],
    ['a secret one character long', `llm_0123456789abcdef_${secret}x`],
    ['a secret with base64 padding', `llm_0123456789abcdef_${secret.slice(1)}=`],
    ['trailing whitespace', `llm_0123456789abcdef_${secret}\n`],
    ['a bearer prefix left on', `Bearer llm_0123456789abcdef_${secret}`],
  ])('returns undefined for %s', (_what, key) => {
    expect(parseKeyId(key)).toBeUndefined();
  });
});

describe('keyMatches', () => {
  it('accepts the key whose hash is stored', () => {
    const { key, secretSha256 } = generateApiKey();
    expect(keyMatches(key, secretSha256)).toBe(true);
  });

  it('refuses another key with the same id', () => {
    const { key, secretSha256 } = generateApiKey();
    const forged = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    expect(keyMatches(forged, secretSha256)).toBe(false);
  });

  it('refuses a key against the hash of another key', () => {
    expect(keyMatches(generateApiKey().key, generateApiKey().secretSha256)).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['truncated', 'ab'.repeat(16)],
    ['too long', 'ab'.repeat(33)],
    ['not hex', 'zz'.repeat(32)],
  ])('refuses a %s stored hash without throwing', (_what, stored) => {
    const { key } = generateApiKey();
    expect(() => keyMatches(key, stored)).not.toThrow();
    expect(keyMatches(key, stored)).toBe(false);
  });

  it('compares equal-length hashes with timingSafeEqual, not ===', () => {
    const spy = jest.mocked(crypto.timingSafeEqual);
    spy.mockClear();
    const { key, secretSha256 } = generateApiKey();
    expect(keyMatches(key, secretSha256)).toBe(true);
    expect(keyMatches(`${key}x`, secretSha256)).toBe(false);
    expect(spy).toHaveBeenCalledTimes(2);
    const [a, b] = spy.mock.calls[0]!;
    expect(Buffer.from(a as Uint8Array).toString('hex')).toBe(secretSha256);
    expect(Buffer.from(b as Uint8Array).toString('hex')).toBe(secretSha256);
  });

  it('hashes the key with sha256 before comparing', () => {
    expect(keyMatches('anything', sha256('anything'))).toBe(true);
    expect(keyMatches('anything', sha256('anything else'))).toBe(false);
  });
});

describe('parseScopes', () => {
  it('reads a comma-separated list, trimming blanks and duplicates', () => {
    expect(parseScopes(' ingest, query,,ingest ')).toEqual(['ingest', 'query']);
  });

  it('accepts every scope', () => {
    expect(parseScopes(ALL_SCOPES.join(','))).toEqual([...ALL_SCOPES]);
  });

  it.each(['', ' , ,'])('refuses an empty list (%j) and lists the scopes', (list) => {
    expect(() => parseScopes(list)).toThrow(
      'no scopes given; use a comma-separated list of ingest, gateway, query, admin',
    );
  });

  it('names the unknown scope', () => {
    expect(() => parseScopes('ingest,superuser')).toThrow(
      "unknown scope 'superuser'; scopes are ingest, gateway, query, admin",
    );
  });

  it('is case-sensitive', () => {
    expect(() => parseScopes('Admin')).toThrow("unknown scope 'Admin'");
  });
});
