import { cardIssuer, cardValid } from './cards';
import { luhnValid, mod97, verhoeffValid } from './checksums';
import { dateValid, monthFromName } from './dates';
import { ibanValid } from './iban';
import { aadhaarValid, cpfValid, nhsValid, nifValid, nirValid, ssnValid } from './national-ids';
import { ipv4Valid, ipv6Valid, macValid } from './network';

describe('check digits', () => {
  it('accepts Luhn-valid numbers and rejects a changed digit', () => {
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
  });

  it('computes mod 97 of numbers longer than a double holds', () => {
    expect(mod97('3214282912345698765432161182')).toBe(1);
  });

  it('validates Verhoeff check digits', () => {
    expect(verhoeffValid('2363')).toBe(true);
    expect(verhoeffValid('2364')).toBe(false);
  });
});

describe('payment cards', () => {
  it.each([
    ['4111111111111111', 'visa'],
    ['5555555555554444', 'mastercard'],
    ['2221000000000009', 'mastercard'],
    ['378282246310005', 'amex'],
    ['6011111111111117', 'discover'],
    ['3530111333300000', 'jcb'],
    ['30569309025904', 'diners'],
  ])('recognises %s as %s', (digits, issuer) => {
    expect(cardIssuer(digits)).toBe(issuer);
    expect(cardValid(digits)).toBe(true);
  });

  it('rejects unknown issuer ranges and wrong lengths even when Luhn passes', () => {
    expect(cardValid('1234567812345670')).toBe(false);
    expect(cardValid('41111111111111')).toBe(false);
  });
});

describe('IBAN', () => {
  it('accepts valid IBANs of several countries', () => {
    for (const v of [
      'GB82WEST12345698765432',
      'DE89370400440532013000',
      'FR1420041010050500013M02606',
      'NL91ABNA0417164300',
    ]) {
      expect(ibanValid(v)).toBe(true);
    }
  });

  it('rejects a wrong checksum, a wrong length and an unknown country', () => {
    expect(ibanValid('GB82WEST12345698765431')).toBe(false);
    expect(ibanValid('DE8937040044053201300')).toBe(false);
    expect(ibanValid('QQ82WEST12345698765432')).toBe(false);
  });
});

describe('national identifiers', () => {
  it('excludes never-issued US SSN ranges and advertised examples', () => {
    expect(ssnValid('123456788')).toBe(true);
    for (const bad of [
      '000123456',
      '666123456',
      '900123456',
      '123001234',
      '123450000',
      '078051120',
    ]) {
      expect(ssnValid(bad)).toBe(false);
    }
  });

  it('validates NHS numbers with mod 11', () => {
    expect(nhsValid('9434765919')).toBe(true);
    expect(nhsValid('9434765918')).toBe(false);
  });

  it('validates both CPF check digits and rejects repeated digits', () => {
    expect(cpfValid('52998224725')).toBe(true);
    expect(cpfValid('52998224724')).toBe(false);
    expect(cpfValid('11111111111')).toBe(false);
  });

  it('validates Aadhaar with Verhoeff and a 2-9 first digit', () => {
    expect(aadhaarValid('234123412346')).toBe(true);
    expect(aadhaarValid('234123412347')).toBe(false);
    expect(aadhaarValid('134123412346')).toBe(false);
  });

  it('validates Spanish DNI and NIE letters', () => {
    expect(nifValid('12345678Z')).toBe(true);
    expect(nifValid('X1234567L')).toBe(true);
    expect(nifValid('12345678A')).toBe(false);
  });

  it('validates the French NIR key and structure', () => {
    expect(nirValid('185057800608491')).toBe(true);
    expect(nirValid('185057800608490')).toBe(false);
    expect(nirValid('385057800608491')).toBe(false);
  });
});

describe('network addresses', () => {
  it('accepts dotted quads without leading zeros', () => {
    expect(ipv4Valid('192.168.1.20')).toBe(true);
    expect(ipv4Valid('256.1.1.1')).toBe(false);
    expect(ipv4Valid('01.2.3.4')).toBe(false);
  });

  it('accepts full, compressed and IPv4-suffixed IPv6 but not loopback or word-like forms', () => {
    for (const v of [
      '2001:0db8:85a3:0000:0000:8a2e:0370:7334',
      'fe80::1ff:fe23:4567:890a',
      '::ffff:192.0.2.128',
    ]) {
      expect(ipv6Valid(v)).toBe(true);
    }
    for (const v of ['::1', 'dead::beef', 'a::b', '1:2:3', '1::2::3'])
      expect(ipv6Valid(v)).toBe(false);
  });

  it('accepts MACs with one separator throughout', () => {
    expect(macValid('00:1A:2B:3C:4D:5E')).toBe(true);
    expect(macValid('00-1a-2b-3c-4d-5e')).toBe(true);
    expect(macValid('00:1A-2B:3C:4D:5E')).toBe(false);
    expect(macValid('00:00:00:00:00:00')).toBe(false);
  });
});

describe('dates', () => {
  it('knows month lengths and leap years', () => {
    expect(dateValid(2000, 2, 29)).toBe(true);
    expect(dateValid(1900, 2, 29)).toBe(false);
    expect(dateValid(1985, 4, 31)).toBe(false);
    expect(monthFromName('September')).toBe(9);
    expect(monthFromName('Sept')).toBe(9);
  });
});
