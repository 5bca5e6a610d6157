import { PiiEngine } from './engine';
import { PiiConfigError } from './errors';
import type { PiiType } from './types';

const engine = new PiiEngine();

function found(text: string): Array<[PiiType, string]> {
  return engine.scan(text).map((f) => [f.type, text.slice(f.start, f.end)]);
}

describe('PiiEngine detects', () => {
  it.each<[PiiType, string, string]>([
    ['EMAIL', 'write to jane.doe+x@mail.example.co.uk today', 'jane.doe+x@mail.example.co.uk'],
    ['PHONE', 'call +44 20 7946 0958 now', '+44 20 7946 0958'],
    ['PHONE', 'office (415) 555-2671', '(415) 555-2671'],
    ['PHONE', 'tel 4155552671', '4155552671'],
    ['PHONE', 'phones: +1 415 555 2671 +44 20 7946 0958', '+1 415 555 2671'],
    ['CREDIT_CARD', 'card 4111 1111 1111 1111 exp 12/27', '4111 1111 1111 1111'],
    ['CREDIT_CARD', 'amex 3782-822463-10005', '3782-822463-10005'],
    ['IBAN', 'IBAN GB82 WEST 1234 5698 7654 32.', 'GB82 WEST 1234 5698 7654 32'],
    ['US_SSN', 'SSN 123-45-6788', '123-45-6788'],
    ['UK_NHS', 'NHS number 943 476 5919', '943 476 5919'],
    ['UK_NHS', 'Referral for 943 476 5919 attached.', '943 476 5919'],
    ['UK_NHS', 'Patient 943-476-5919 seen today', '943-476-5919'],
    ['ES_NIF', 'DNI 12345678Z y NIE X1234567L', '12345678Z'],
    ['BR_CPF', 'CPF 529.982.247-25', '529.982.247-25'],
    ['IN_AADHAAR', 'Aadhaar 2341 2341 2346', '2341 2341 2346'],
    ['FR_NIR', 'NIR 1 85 05 78 006 084 91', '1 85 05 78 006 084 91'],
    ['IP_ADDRESS', 'from 10.20.30.40:443', '10.20.30.40'],
    ['IP_ADDRESS', 'host 2001:db8:85a3::8a2e:370:7334 down', '2001:db8:85a3::8a2e:370:7334'],
    ['MAC_ADDRESS', 'hwaddr 00:1A:2B:3C:4D:5E', '00:1A:2B:3C:4D:5E'],
    ['DATE_OF_BIRTH', 'born on March 3, 1981 in Leeds', 'March 3, 1981'],
    [
      'ADDRESS',
      'I live at 742 Evergreen Terrace, Springfield, OR 97475',
      '742 Evergreen Terrace, Springfield, OR 97475',
    ],
    ['PERSON', 'Hello, my name is Ada Lovelace.', 'Ada Lovelace'],
    ['URL_CREDENTIALS', 'postgres://app:Sup3rS3cret@db:5432/x', 'app:Sup3rS3cret'],
    ['AWS_ACCESS_KEY', 'key AKIAIOSFODNN7EXAMPLE', 'AKIAIOSFODNN7EXAMPLE'],
    [
      'AWS_SECRET_KEY',
      'aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    ],
    [
      'GITHUB_TOKEN',
      'ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789',
      'ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789',
    ],
    ['GITLAB_TOKEN', 'glpat-Xy9zAbC1dEfGh2IjKlMn', 'glpat-Xy9zAbC1dEfGh2IjKlMn'],
    [
      'SLACK_TOKEN',
      'xoxb-123456789012-123456789012-AbCdEfGhIjKlMnOpQrStUvWx',
      'xoxb-123456789012-123456789012-AbCdEfGhIjKlMnOpQrStUvWx',
    ],
    ['STRIPE_KEY', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'],
    [
      'OPENAI_API_KEY',
      'sk-abcdefghij0123456789T3BlbkFJabcdefghij0123456789',
      'sk-abcdefghij0123456789T3BlbkFJabcdefghij0123456789',
    ],
    [
      'ANTHROPIC_API_KEY',
      `sk-ant-api03-${'aB3_'.repeat(23)}xAA`,
      `sk-ant-api03-${'aB3_'.repeat(23)}xAA`,
    ],
    [
      'GOOGLE_API_KEY',
      'AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY',
      'AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY',
    ],
    ['SECRET_GENERIC', 'password: Tr0ub4dor&3', 'Tr0ub4dor&3'],
  ])('%s in %j', (type, text, value) => {
    expect(found(text)).toContainEqual([type, value]);
  });

  it('a mod-11 3-3-4 number as a phone next to a phone word or in US dashes', () => {
    expect(found('call 943 476 5919')).toEqual([['PHONE', '943 476 5919']]);
    expect(found('943-476-5919')).toEqual([['PHONE', '943-476-5919']]);
    expect(found('Call the patient on 943 476 5919')).toEqual([['PHONE', '943 476 5919']]);
  });

  it('JWTs whose header decodes to a JOSE header', () => {
    const jwt =
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    expect(found(`Bearer ${jwt}`)).toEqual([['JWT', jwt]]);
    expect(found('eyJub3QiOiJqb3NlIn0.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefgh')).toEqual([]);
  });

  it('PEM private keys from BEGIN to END, and truncated ones to the end of the body', () => {
    const key =
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1b2c3\nd4e5f6==\n-----END RSA PRIVATE KEY-----';
    expect(found(`key:\n${key}\nthanks`)).toEqual([['PRIVATE_KEY', key]]);
    expect(found('-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\nkqhkiG9w0B')[0]?.[1]).toBe(
      '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\nkqhkiG9w0B',
    );
  });
});

describe('PiiEngine leaves alone', () => {
  it.each([
    ['a Luhn-failing card number', 'card 4111 1111 1111 1112'],
    ['an IBAN with a bad checksum', 'IBAN GB83 WEST 1234 5698 7654 32'],
    ['never-issued SSNs', 'SSN 666-12-3456 or 000-12-3456'],
    ['UUIDs', 'id 550e8400-e29b-41d4-a716-446655440000'],
    ['version strings', 'upgrade to v1.2.3.4 and version 1.0.0.1 and Chrome/120.0.6099.109'],
    ['timestamps', '2024-01-15T10:30:00Z and 1712345678901'],
    ['hex hashes', 'sha 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
    ['phone-like operands', 'what is 4155552671 * 3 and 415-555-2671 + 7 = ?'],
    ['a mod-11 3-3-4 operand', '943 476 5919 + 1'],
    ['a mod-11 3-3-4 order number', 'order 943 476 5919 and ref 943 476 5919'],
    ['order numbers without a phone word', 'order 4155552671 and PO 9434765919'],
    ['npm scopes and retina images', '@types/node lodash@4.17.21 logo@2x.png'],
    ['placeholder secrets', 'password: ******** api_key: ${API_KEY} secret: <your-secret>'],
    ['a sentence about passwords', 'The password must contain at least 12 characters.'],
    ['dates without a birth cue', 'released on 1985-03-12'],
  ])('%s', (_label, text) => {
    expect(found(text)).toEqual([]);
  });
});

describe('PiiEngine results', () => {
  it('are sorted by start and do not overlap', () => {
    const text =
      'Mail bob@x.io, card 4111111111111111, call +1 415 555 2671, ip 10.0.0.1, SSN 123-45-6788';
    const out = engine.scan(text);
    expect(out.length).toBeGreaterThanOrEqual(5);
    for (let i = 1; i < out.length; i++)
      expect(out[i]!.start).toBeGreaterThanOrEqual(out[i - 1]!.end);
  });

  it('carry a score in [0, 1] and the rule that fired', () => {
    for (const f of engine.scan('card 4111 1111 1111 1111')) {
      expect(f.score).toBeGreaterThanOrEqual(0.5);
      expect(f.score).toBeLessThanOrEqual(1);
      expect(f.rule).toBe('card.luhn');
    }
  });

  it('count offsets in UTF-16 code units after astral-plane characters', () => {
    const text = '😀👩🏽‍💻 𝒜 mail: a@b.co ✉️ 📞 +44 20 7946 0958';
    const out = engine.scan(text);
    expect(out.map((f) => text.slice(f.start, f.end))).toEqual(['a@b.co', '+44 20 7946 0958']);
  });

  it('keep cue-based offsets right when lower-casing would change the length (U+0130)', () => {
    const text = 'İstanbul office. My name is Ada Lovelace, password: Tr0ub4dor&3, born 1985-03-12';
    expect(found(text)).toEqual([
      ['PERSON', 'Ada Lovelace'],
      ['SECRET_GENERIC', 'Tr0ub4dor&3'],
      ['DATE_OF_BIRTH', '1985-03-12'],
    ]);
  });

  it('work inside mixed scripts', () => {
    const text = 'Привет, мой email ivan@example.ru, 电话 +86 139 1099 8888, مرحبا';
    expect(found(text)).toEqual([
      ['EMAIL', 'ivan@example.ru'],
      ['PHONE', '+86 139 1099 8888'],
    ]);
  });

  it('honour minScore and the enabled list', () => {
    expect(new PiiEngine({ minScore: 0 }).scan('order 4155552671').length).toBeGreaterThan(0);
    const onlyEmail = new PiiEngine({ enabled: ['EMAIL'] });
    expect(onlyEmail.scan('a@b.co 4111111111111111').map((f) => f.type)).toEqual(['EMAIL']);
  });

  it('reject invalid options with a typed error', () => {
    expect(() => new PiiEngine({ minScore: 2 })).toThrow(PiiConfigError);
    expect(() => new PiiEngine({ enabled: ['NOPE' as PiiType] })).toThrow(/unknown type "NOPE"/);
    expect(() => new PiiEngine({ phoneRegions: ['XX' as never] })).toThrow(PiiConfigError);
  });

  it('return nothing for empty text', () => {
    expect(engine.scan('')).toEqual([]);
  });
});
