import { boundaryAfter, boundaryBefore, isUpper } from '../../core/chars';
import { contextWindow, hasAny, scoreWithContext, type ContextSpec } from '../../core/context';
import { cardValid } from '../../validators/cards';
import {
  aadhaarValid,
  cpfValid,
  nhsValid,
  nifValid,
  nirValid,
  ssnValid,
} from '../../validators/national-ids';
import { ipv4Valid } from '../../validators/network';
import type { Finding, PiiType } from '../../types';
import { inArithmetic, PHONE_WORDS } from './phone-cues';
import type { NumericWindow } from './windows';

/** Words around numbers that are identifiers of things, not of people. */
export const NOT_PERSONAL = [
  'order',
  'invoice',
  'tracking',
  'ref',
  'reference',
  'ticket',
  'isbn',
  'serial',
  'sku',
  'build',
  'version',
  'po',
  'case',
  'transaction',
  'txn',
  'shipment',
  'parcel',
  'batch',
  'lot',
  'part',
  'model',
  'issue',
  'pr',
  'commit',
  'row',
  'record',
  'request',
  'job',
  'run',
  'ean',
  'upc',
];

const CARD_CONTEXT: ContextSpec = {
  words: [
    'card',
    'credit',
    'debit',
    'visa',
    'mastercard',
    'amex',
    'american express',
    'discover',
    'jcb',
    'maestro',
    'unionpay',
    'cc',
    'pan',
    'cvv',
    'cvc',
    'expiry',
    'exp',
    'cardholder',
    'payment',
    'pay',
  ],
  boost: 0.15,
  negative: [...NOT_PERSONAL, 'id'],
  penalty: 0.4,
};
const SSN_CONTEXT: ContextSpec = {
  words: ['ssn', 'ss', 'social security', 'social', 'tax', 'taxpayer', 'tin', 'itin'],
  boost: 0.3,
  negative: [...NOT_PERSONAL, 'phone', 'tel', 'call', 'fax', 'zip', 'routing'],
  penalty: 0.3,
};
const NHS_CONTEXT: ContextSpec = {
  words: ['nhs', 'national health', 'health service'],
  boost: 0.5,
};
// Without the word "NHS": clinical words raise a mod-11 number; an order or reference word
// just before it takes the raise back.
const NHS_CLINICAL: ContextSpec = {
  words: [
    'patient',
    'patients',
    'hospital',
    'gp',
    'clinic',
    'clinical',
    'surgery',
    'ward',
    'medical',
  ],
  boost: 0.3,
  negative: NOT_PERSONAL,
  penalty: 0.3,
};
const CPF_CONTEXT: ContextSpec = {
  words: ['cpf', 'cadastro de pessoas', 'contribuinte'],
  boost: 0.45,
};
const AADHAAR_CONTEXT: ContextSpec = {
  words: ['aadhaar', 'aadhar', 'adhaar', 'uidai', 'uid', 'unique identification'],
  boost: 0.5,
};
const NIR_CONTEXT: ContextSpec = {
  words: ['nir', 'insee', 'securite sociale', 'secu', 'carte vitale', 'vitale', 'social security'],
  boost: 0.35,
};
const NIF_CONTEXT: ContextSpec = {
  words: ['dni', 'nie', 'nif', 'documento', 'identidad', 'extranjero'],
  boost: 0.25,
};
const IP_CONTEXT: ContextSpec = {
  words: ['ip', 'ipv4', 'address', 'addr', 'host', 'server', 'client', 'from', 'gateway', 'dns'],
  boost: 0.2,
  negative: [
    'version',
    'ver',
    'v',
    'release',
    'build',
    'firmware',
    'sdk',
    'upgrade',
    'chapter',
    'section',
    'step',
  ],
  penalty: 0.4,
};

type Push = (type: PiiType, w: { start: number; end: number }, score: number, rule: string) => void;

const uniform = (seps: string[], allowed: string): boolean =>
  seps.length === 0 || (allowed.includes(seps[0] ?? '#') && seps.every((s) => s === seps[0]));
const shape = (w: NumericWindow, ...lens: number[]): boolean =>
  w.groups.length === lens.length && w.groups.every((g, i) => g === lens[i]) && !continues(w);
/** The chunk goes on with the window's own separator: the window is part of a longer number. */
const continues = (w: NumericWindow): boolean =>
  w.seps.length > 0 && (w.nextSep === w.seps[0] || w.prevSep === w.seps[0]);

function card(text: string, w: NumericWindow, push: Push): void {
  const n = w.digits.length;
  if (n < 13 || n > 19 || w.prefix !== '' || !uniform(w.seps, ' -')) return;
  const g = w.groups;
  const grouped =
    g.length > 1 &&
    (g.every((len, i) => (i < g.length - 1 ? len === 4 : len >= 1 && len <= 4)) ||
      shape(w, 4, 6, 5) ||
      shape(w, 4, 6, 4));
  if (g.length > 1 && !grouped) return;
  if (!cardValid(w.digits)) return;
  const base = grouped ? 0.9 : 0.8;
  push('CREDIT_CARD', w, scoreWithContext(text, w.start, w.end, base, CARD_CONTEXT), 'card.luhn');
}

function ssn(text: string, w: NumericWindow, push: Push): void {
  if (w.digits.length !== 9 || w.prefix !== '') return;
  let base: number;
  if (shape(w, 3, 2, 4) && uniform(w.seps, '-')) base = 0.7;
  else if (shape(w, 3, 2, 4) && uniform(w.seps, ' ')) base = 0.4;
  else if (shape(w, 9)) base = 0.25;
  else return;
  if (!ssnValid(w.digits)) return;
  push('US_SSN', w, scoreWithContext(text, w.start, w.end, base, SSN_CONTEXT), 'ssn.ranges');
}

function nhs(text: string, w: NumericWindow, push: Push): void {
  if (w.digits.length !== 10 || w.prefix !== '') return;
  const formatted = shape(w, 3, 3, 4) && uniform(w.seps, ' -');
  if (!formatted && !shape(w, 10)) return;
  if (!nhsValid(w.digits)) return;
  const base = nhsBase(text, w, formatted);
  push('UK_NHS', w, scoreWithContext(text, w.start, w.end, base, NHS_CONTEXT), 'nhs.mod11');
}

/**
 * `943 476 5919`, in spaces and passing mod 11 (1 random 10-digit number in 11 does), is read
 * as an NHS number (0.65, above a national phone's 0.6) unless a phone word is near, an order
 * or reference word is just before it, or it is an operand: that is how NHS numbers are
 * printed, while US phones are mostly written `(943) 476-5919` or `943-476-5919`. Dashed and
 * bare forms need a clinical word or "NHS". A US phone in spaces without a phone word passes
 * mod 11 one time in 11 and is then reported as UK_NHS (still redacted).
 */
function nhsBase(text: string, w: NumericWindow, formatted: boolean): number {
  const plain = formatted ? 0.35 : 0.2;
  if (hasAny(contextWindow(text, w.start, w.end), PHONE_WORDS)) return plain;
  if (inArithmetic(text, w.start, w.end)) return plain;
  const spaced = formatted && w.seps[0] === ' ';
  const lifted = scoreWithContext(text, w.start, w.end, spaced ? 0.65 : plain, NHS_CLINICAL);
  return Math.max(plain, lifted);
}

function cpf(text: string, w: NumericWindow, push: Push): void {
  if (w.digits.length !== 11 || w.prefix !== '') return;
  let base: number;
  if (shape(w, 3, 3, 3, 2) && w.seps.join('') === '..-') base = 0.8;
  else if (shape(w, 9, 2) && w.seps[0] === '-') base = 0.5;
  else if (shape(w, 11)) base = 0.25;
  else return;
  if (!cpfValid(w.digits)) return;
  push('BR_CPF', w, scoreWithContext(text, w.start, w.end, base, CPF_CONTEXT), 'cpf.mod11');
}

function aadhaar(text: string, w: NumericWindow, push: Push): void {
  if (w.digits.length !== 12 || w.prefix !== '') return;
  const formatted = shape(w, 4, 4, 4) && uniform(w.seps, ' -');
  if (!formatted && !shape(w, 12)) return;
  if (!aadhaarValid(w.digits)) return;
  // 4-4-4 grouping is distinctive enough to report alone; a bare 12-digit run is not.
  const score = scoreWithContext(text, w.start, w.end, formatted ? 0.5 : 0.2, AADHAAR_CONTEXT);
  push('IN_AADHAAR', w, score, 'aadhaar.verhoeff');
}

function nir(text: string, w: NumericWindow, push: Push): void {
  if (w.digits.length !== 15 || w.prefix !== '') return;
  let base: number;
  if (shape(w, 1, 2, 2, 2, 3, 3, 2) && uniform(w.seps, ' ')) base = 0.8;
  else if (shape(w, 13, 2) && uniform(w.seps, ' ')) base = 0.7;
  else if (shape(w, 15)) base = 0.55;
  else return;
  if (!nirValid(w.digits)) return;
  push('FR_NIR', w, scoreWithContext(text, w.start, w.end, base, NIR_CONTEXT), 'nir.mod97');
}

function ipv4(text: string, w: NumericWindow, push: Push): void {
  if (w.groups.length !== 4 || w.prefix !== '' || !uniform(w.seps, '.')) return;
  if (!w.rightOk && w.nextSep !== '/') return;
  if (!ipv4Valid(text.slice(w.start, w.end))) return;
  push('IP_ADDRESS', w, scoreWithContext(text, w.start, w.end, 0.7, IP_CONTEXT), 'ip.v4');
}

/** DNI `12345678Z` / `12345678-Z` or NIE `X1234567L`: the letter is glued, so own boundaries. */
function nif(text: string, w: NumericWindow, push: Push): void {
  if (w.groups.length !== 1 || w.prefix !== '' || w.nextSep !== undefined) return;
  const n = w.digits.length;
  if (n !== 7 && n !== 8) return;
  let start = w.start;
  let lead = '';
  if (n === 7) {
    const l = text.charAt(start - 1).toUpperCase();
    if (l !== 'X' && l !== 'Y' && l !== 'Z') return;
    start -= 1;
    lead = l;
    if (!boundaryBefore(text, start)) return;
  } else if (!w.leftOk) {
    return;
  }
  let end = w.end;
  if (text.charCodeAt(end) === 45) end++;
  const letter = text.charAt(end).toUpperCase();
  if (!isUpper(letter.charCodeAt(0)) || !boundaryAfter(text, end + 1)) return;
  end++;
  if (!nifValid(lead + w.digits + letter)) return;
  const span = { start, end };
  push('ES_NIF', span, scoreWithContext(text, start, end, 0.75, NIF_CONTEXT), 'nif.mod23');
}

// Classifiers that need both boundaries clean (`nif` checks its own).
const BOUNDED_CLASSIFIERS = [card, ssn, nhs, cpf, aadhaar, nir];

/** Runs every ID classifier over one window. */
export function classifyIds(text: string, w: NumericWindow, out: Finding[]): void {
  const push: Push = (type, span, score, rule) =>
    out.push({ type, start: span.start, end: span.end, score, rule });
  nif(text, w, push);
  if (!w.leftOk) return;
  ipv4(text, w, push);
  if (!w.rightOk) return;
  for (const classify of BOUNDED_CLASSIFIERS) classify(text, w, push);
}
