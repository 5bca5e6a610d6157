// Value generators: every positive is valid by its own rules (check digits, ranges,
// libphonenumber validity); every hard negative is the near miss a naive regex would take.
import { createRequire } from 'node:module';
import { faker } from '@faker-js/faker';
import { parsePhoneNumberFromString, getExampleNumber } from 'libphonenumber-js/max';
import * as C from './checks.mjs';

const require = createRequire(import.meta.url);
const examples = require('libphonenumber-js/examples.mobile.json');

const pick = (xs) => faker.helpers.arrayElement(xs);
const num = (min, max) => faker.number.int({ min, max });
const digits = (n) => faker.string.numeric({ length: n, allowLeadingZeros: true });
const chars = (set, n) => faker.string.fromCharacters(set, n);
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const B64URL = `${ALNUM}_-`;
const B64 = `${ALNUM}+/`;
const group = (s, sizes, sep) => {
  const out = [];
  let i = 0;
  for (const n of sizes) {
    out.push(s.slice(i, i + n));
    i += n;
  }
  return out.join(sep);
};
export { pick, num, digits, chars };

// ---------- checksum-backed ----------
const CARD_PREFIXES = [
  ['4', 16],
  ['4', 16],
  ['51', 16],
  ['53', 16],
  ['55', 16],
  ['2221', 16],
  ['2720', 16],
  ['34', 15],
  ['37', 15],
  ['6011', 16],
  ['65', 16],
  ['3530', 16],
  ['3589', 16],
  ['36', 14],
  ['62', 16],
  ['4', 13],
];

export function cardDigits() {
  const [prefix, len] = pick(CARD_PREFIXES);
  const body = prefix + digits(len - prefix.length - 1);
  return body + C.luhnCheckDigit(body);
}

export function formatCard(d) {
  if (d.length === 15) return pick([d, group(d, [4, 6, 5], ' '), group(d, [4, 6, 5], '-')]);
  if (d.length === 14) return pick([d, group(d, [4, 6, 4], ' ')]);
  if (d.length === 16)
    return pick([
      d,
      group(d, [4, 4, 4, 4], ' '),
      group(d, [4, 4, 4, 4], '-'),
      group(d, [4, 4, 4, 4], ' '),
    ]);
  return d;
}

export const card = () => formatCard(cardDigits());

/** Right IIN and length, wrong check digit. */
export function cardLuhnFail() {
  const d = cardDigits();
  const bad = String((Number(d[d.length - 1]) + num(1, 9)) % 10);
  return formatCard(d.slice(0, -1) + bad);
}

export function ssnDigits() {
  for (;;) {
    const area = num(1, 899);
    if (area === 666) continue;
    const d =
      String(area).padStart(3, '0') +
      String(num(1, 99)).padStart(2, '0') +
      String(num(1, 9999)).padStart(4, '0');
    if (!['078051120', '219099999', '123456789', '457555462'].includes(d)) return d;
  }
}
export const ssn = (style = pick(['dash', 'dash', 'dash', 'space'])) => {
  const d = ssnDigits();
  return style === 'bare' ? d : group(d, [3, 2, 4], style === 'dash' ? '-' : ' ');
};
export const ssnInvalid = () =>
  group(
    pick(['000', '666', String(num(900, 999))]) + digits(2) + String(num(1, 9999)).padStart(4, '0'),
    [3, 2, 4],
    '-',
  );

export function nhs(format = pick(['space', 'space', 'bare', 'dash'])) {
  for (;;) {
    const nine = String(num(1, 9)) + digits(8);
    const c = C.nhsCheckDigit(nine);
    if (c === null) continue;
    const d = nine + c;
    return format === 'bare' ? d : group(d, [3, 3, 4], format === 'dash' ? '-' : ' ');
  }
}

export function cpf(format = pick(['dots', 'dots', 'dots', 'bare'])) {
  const nine = digits(9);
  if (/^(\d)\1+$/.test(nine)) return cpf(format);
  const d = nine + C.cpfCheckDigits(nine);
  return format === 'bare' ? d : `${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6, 9)}-${d.slice(9)}`;
}

export function aadhaar(format = pick(['space', 'space', 'space', 'bare', 'dash'])) {
  const eleven = String(num(2, 9)) + digits(10);
  const d = eleven + C.verhoeffCheckDigit(eleven);
  return format === 'bare' ? d : group(d, [4, 4, 4], format === 'dash' ? '-' : ' ');
}

export function nir(format = pick(['space', 'space', 'bare'])) {
  const dept = String(pick([num(1, 19), num(21, 95)])).padStart(2, '0');
  const t =
    String(pick([1, 2])) +
    digits(2) +
    String(num(1, 12)).padStart(2, '0') +
    dept +
    String(num(1, 990)).padStart(3, '0') +
    String(num(1, 999)).padStart(3, '0');
  const d = t + C.nirKey(t);
  return format === 'bare' ? d : group(d, [1, 2, 2, 2, 3, 3, 2], ' ');
}

export function nif() {
  if (faker.datatype.boolean({ probability: 0.6 })) {
    const n = num(1000000, 99999999);
    return String(n).padStart(8, '0') + pick(['', '', '-']) + C.nifLetter(n);
  }
  const lead = pick(['X', 'Y', 'Z']);
  const seven = digits(7);
  return lead + seven + C.nifLetter(Number('XYZ'.indexOf(lead) + seven));
}

export function iban() {
  for (;;) {
    const formatted = faker.datatype.boolean({ probability: 0.6 });
    const v = faker.finance.iban({
      formatted,
      countryCode: pick([
        'DE',
        'GB',
        'FR',
        'ES',
        'IT',
        'NL',
        'BE',
        'CH',
        'AT',
        'PL',
        'PT',
        'IE',
        'SE',
        'DK',
        'NO',
        'FI',
      ]),
    });
    if (C.ibanValidIndependent(v.replace(/ /g, ''))) return v;
  }
}
export function ibanBadChecksum() {
  const v = iban().replace(/ /g, '');
  const check = String((Number(v.slice(2, 4)) + num(1, 50)) % 98).padStart(2, '0');
  const bad = v.slice(0, 2) + check + v.slice(4);
  return C.ibanValidIndependent(bad) ? ibanBadChecksum() : bad;
}

// ---------- contact ----------
export const email = () =>
  pick([faker.internet.email(), faker.internet.email(), faker.internet.exampleEmail()]);

const NATIONAL_REGIONS = ['US', 'US', 'US', 'GB', 'GB', 'FR', 'DE', 'IN'];
const INTL_ONLY = ['ES', 'IT', 'NL', 'BR', 'JP', 'AU', 'MX', 'SE', 'CH', 'PL', 'ZA', 'SG'];

function validNumber(region) {
  const ex = getExampleNumber(region, examples);
  const nn = ex.nationalNumber;
  for (let i = 0; i < 50; i++) {
    const keep = Math.max(1, nn.length - num(4, 6));
    const candidate = nn.slice(0, keep) + digits(nn.length - keep);
    const p = parsePhoneNumberFromString(candidate, region);
    if (p?.isValid()) return p;
  }
  return ex;
}

/** International or national form; national only for the engine's default regions. */
export function phone(form = pick(['intl', 'intl', 'national', 'national', 'national', 'e164'])) {
  if (form === 'national') {
    const region = pick(NATIONAL_REGIONS);
    const p = validNumber(region);
    const nat = p.formatNational();
    if (region === 'US') {
      const d = p.nationalNumber;
      return pick([
        nat,
        `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`,
        `${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6)}`,
      ]);
    }
    return nat;
  }
  const p = validNumber(pick([...NATIONAL_REGIONS, ...INTL_ONLY]));
  return form === 'e164' ? p.number : p.formatInternational();
}

/** `+44 (0)20 7946 0958`: international with the national trunk prefix in brackets. */
export function phoneWithTrunk() {
  return `+44 (0)${validNumber('GB').formatNational().slice(1)}`;
}

export const ipv4 = () => {
  for (;;) {
    const v = faker.internet.ipv4();
    if (!v.startsWith('0.')) return v;
  }
};
export function ipv6() {
  const full = faker.internet.ipv6();
  const g = full.split(':');
  return pick([
    full,
    `${g[0]}:${g[1]}::${g[6]}:${g[7]}`,
    `2001:db8::${g[5]}:${g[7]}`,
    `fe80::${g[4]}:${g[5]}:${g[6]}:${g[7]}`,
  ]);
}
export const mac = () => {
  const v = faker.internet.mac(pick([':', ':', '-']));
  return faker.datatype.boolean() ? v.toUpperCase() : v;
};

// ---------- dates, addresses, names ----------
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
export function birthDate() {
  const d = faker.date.birthdate({ mode: 'age', min: 18, max: 90 });
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  const p2 = (n) => String(n).padStart(2, '0');
  return pick([
    `${y}-${p2(m)}-${p2(day)}`,
    `${p2(m)}/${p2(day)}/${y}`,
    `${p2(day)}.${p2(m)}.${y}`,
    `${MONTHS[m - 1]} ${day}, ${y}`,
    `${day} ${MONTHS[m - 1]} ${y}`,
    `${day}/${m}/${y}`,
  ]);
}
export function plainDate() {
  const d = faker.date.between({ from: '2015-01-01', to: '2025-12-31' });
  return d.toISOString().slice(0, 10);
}

export function street() {
  return `${faker.location.buildingNumber()} ${faker.location.street()}`;
}
export function fullAddress() {
  const unit = faker.datatype.boolean({ probability: 0.3 })
    ? `, ${faker.location.secondaryAddress()}`
    : '';
  return `${street()}${unit}, ${faker.location.city()}, ${faker.location.state({ abbreviated: true })} ${faker.location.zipCode('#####')}`;
}
export const personName = () => `${faker.person.firstName()} ${faker.person.lastName()}`;

// ---------- secrets ----------
export const awsAccessKey = () =>
  pick(['AKIA', 'AKIA', 'ASIA']) + chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16);
export const awsSecretKey = () => chars(B64, 40);
export const githubToken = () =>
  faker.datatype.boolean({ probability: 0.8 })
    ? `${pick(['ghp', 'gho', 'ghs', 'ghu'])}_${chars(ALNUM, 36)}`
    : `github_pat_${chars(ALNUM, 22)}_${chars(ALNUM, 59)}`;
export const gitlabToken = () => `glpat-${chars(B64URL, 20)}`;
export const slackToken = () =>
  faker.datatype.boolean({ probability: 0.75 })
    ? `${pick(['xoxb', 'xoxp'])}-${digits(12)}-${digits(12)}-${chars(ALNUM, 24)}`
    : `https://hooks.slack.com/services/T${chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 8)}/B${chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 10)}/${chars(ALNUM, 24)}`;
export const stripeKey = () =>
  `${pick(['sk_live', 'sk_test', 'rk_live'])}_${chars(ALNUM, pick([24, 99]))}`;
export const openaiKey = () =>
  faker.datatype.boolean()
    ? `sk-${chars(ALNUM, 20)}T3BlbkFJ${chars(ALNUM, 20)}`
    : `sk-proj-${chars(B64URL, 74)}T3BlbkFJ${chars(B64URL, 74)}`;
export const anthropicKey = () => `sk-ant-api03-${chars(B64URL, 93)}AA`;
export const googleKey = () => `AIza${chars(B64URL, 35)}`;
const b64url = (obj) => Buffer.from(JSON.stringify(obj)).toString('base64url');
export const jwt = () =>
  `${b64url({ alg: pick(['HS256', 'RS256', 'ES256']), typ: 'JWT' })}.${b64url({ sub: faker.string.uuid(), name: personName(), iat: num(1.5e9, 1.8e9) })}.${chars(B64URL, pick([43, 86, 342]))}`;
export function pem() {
  const label = pick(['RSA PRIVATE KEY', 'PRIVATE KEY', 'EC PRIVATE KEY', 'OPENSSH PRIVATE KEY']);
  const lines = Array.from({ length: num(3, 12) }, () => chars(B64, 64));
  const nl = pick(['\n', '\n', '\\n']);
  return `-----BEGIN ${label}-----${nl}${lines.join(nl)}${nl}${chars(B64, num(4, 60))}==${nl}-----END ${label}-----`;
}
export const password = () =>
  pick([
    faker.internet.password({ length: num(10, 18) }),
    `${faker.word.adjective()}${num(10, 9999)}!`,
    `${faker.person.firstName()}${num(1950, 2020)}#`,
  ]);
export const genericToken = () =>
  pick([
    chars(ALNUM, 32),
    faker.string.hexadecimal({ length: 40, prefix: '' }),
    chars(B64URL, 48),
    faker.string.uuid(),
  ]);
export const urlCredentials = () =>
  `${faker.internet.username().replace(/[^A-Za-z0-9_.-]/g, '')}:${faker.internet.password({ length: num(10, 20) })}`;
