import {
  getCountryCallingCode,
  parsePhoneNumberFromString,
  type CountryCode,
} from 'libphonenumber-js/max';
import { contextWindow, hasAny, scoreWithContext, type ContextSpec } from '../../core/context';
import type { Finding } from '../../types';
import { NOT_PERSONAL } from './ids';
import { inArithmetic, PHONE_WORDS } from './phone-cues';
import type { NumericWindow } from './windows';

const PHONE_CONTEXT: ContextSpec = {
  words: PHONE_WORDS,
  boost: 0.3,
  negative: [
    ...NOT_PERSONAL,
    'id',
    'account',
    'acct',
    'total',
    'sum',
    'result',
    'equals',
    'calculate',
    'compute',
    'multiply',
    'divide',
    'plus',
    'minus',
    'times',
    'amount',
    'balance',
    'timestamp',
    'epoch',
    'seed',
    'port',
    'pid',
    'uid',
    'gid',
    'bytes',
    'size',
    'count',
    'ip',
    'ipv4',
    'server',
    'host',
    'card',
    'nhs',
    'ssn',
    'aadhaar',
    'cpf',
    'iban',
  ],
  penalty: 0.35,
};

// Regions where national numbers are commonly written without a leading trunk `0`.
const WRITTEN_WITHOUT_ZERO = new Set<CountryCode>([
  'IN',
  'ES',
  'IT',
  'PT',
  'DK',
  'NO',
  'BR',
  'SG',
  'HK',
]);
const INTERNATIONAL_SEPS = new Set([' ', '-', '.', ' (', ') ', '(', ')', ' - ']);

const nanp = new Map<CountryCode, boolean>();
function isNanp(region: CountryCode): boolean {
  let v = nanp.get(region);
  if (v === undefined) {
    v = getCountryCallingCode(region) === '1';
    nanp.set(region, v);
  }
  return v;
}

function nationalShapeOk(w: NumericWindow): boolean {
  const n = w.digits.length;
  if (n < 9 || n > 12) return false;
  if (w.prefix === '(') {
    return (
      w.groups.length === 3 &&
      (w.seps[0] === ') ' || w.seps[0] === ')') &&
      /^[ -]$/.test(w.seps[1] ?? '')
    );
  }
  if (w.groups.some((g, i) => g < 2 && i > 0)) return false;
  // The chunk goes on with the same separator (`3711 509354 36924`): part of a longer number.
  const sep = w.seps[0];
  if (w.nextSep === sep || w.prevSep === sep) return false;
  // Dotted: US `415.555.2671` or French `06.12.34.56.78`, never four short groups (an IPv4).
  if (sep === '.') {
    const g = w.groups.join(',');
    return w.seps.every((s) => s === '.') && (g === '3,3,4' || g === '2,2,2,2,2');
  }
  return w.seps.every((s) => s === ' ' || s === '-');
}

function validFor(value: string, regions: readonly CountryCode[], leadingZero: boolean): boolean {
  for (const region of regions) {
    const nanp = isNanp(region);
    if (leadingZero ? nanp : !nanp && !WRITTEN_WITHOUT_ZERO.has(region)) continue;
    const parsed = parsePhoneNumberFromString(value, { defaultCountry: region });
    if (parsed?.isValid()) return true;
  }
  return false;
}

/**
 * Phone numbers: the shape comes from the numeric window, the verdict from libphonenumber-js
 * (max metadata). International numbers (`+44 20 7946 0958`) need no context; national ones
 * (`(415) 555-2671`, `020 7946 0958`) are tried against the configured regions; bare digit
 * runs (`4155552671`) count only with a phone word nearby, since order numbers look the same.
 */
export function classifyPhone(
  text: string,
  w: NumericWindow,
  regions: readonly CountryCode[],
  out: Finding[],
): void {
  if (!w.leftOk || !w.rightOk) return;
  const n = w.digits.length;
  if (n < 7 || n > 15) return;
  const value = text.slice(w.start, w.end);
  let base: number;
  let rule: string;
  if (w.prefix === '+') {
    if (n < 8 || !w.seps.every((s) => INTERNATIONAL_SEPS.has(s))) return;
    if (inArithmetic(text, w.start, w.end)) return;
    if (!parsePhoneNumberFromString(value)?.isValid()) return;
    base = 0.85;
    rule = 'phone.international';
  } else if (w.groups.length === 1 && w.prefix === '') {
    if (n < 10 || n > 12) return;
    if (!hasAny(contextWindow(text, w.start, w.end), PHONE_WORDS)) return;
    if (inArithmetic(text, w.start, w.end)) return;
    if (!validFor(value, regions, value.charCodeAt(0) === 48)) return;
    base = 0.35;
    rule = 'phone.national.bare';
  } else {
    if (!nationalShapeOk(w) || inArithmetic(text, w.start, w.end)) return;
    const lead = w.digits.charCodeAt(0) === 48;
    if (!validFor(value, regions, lead)) return;
    base = 0.6;
    rule = 'phone.national';
  }
  const score = scoreWithContext(text, w.start, w.end, base, PHONE_CONTEXT);
  out.push({ type: 'PHONE', start: w.start, end: w.end, score, rule });
}
