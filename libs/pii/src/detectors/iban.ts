import { boundaryBefore, isAsciiAlnum, isDigit, isUpper } from '../core/chars';
import { scoreWithContext, type ContextSpec } from '../core/context';
import { ibanLength, ibanValid } from '../validators/iban';
import { rewind, type Detector } from './detector';

const IBAN_START = /[A-Z]{2}\d{2}/g;
const CONTEXT: ContextSpec = {
  words: [
    'iban',
    'bank',
    'account',
    'transfer',
    'wire',
    'sepa',
    'bic',
    'swift',
    'konto',
    'cuenta',
    'compte',
  ],
  boost: 0.1,
};

/**
 * Walks `length` alphanumerics from `start`, allowing single spaces between blocks of four
 * (the printed form), and returns the end offset and compact value, or undefined.
 */
function collect(
  text: string,
  start: number,
  length: number,
): { end: number; compact: string } | undefined {
  let compact = '';
  let i = start;
  while (compact.length < length && i < text.length) {
    const c = text.charCodeAt(i);
    if (isDigit(c) || isUpper(c)) {
      compact += text[i];
      i++;
    } else if (
      c === 32 &&
      compact.length % 4 === 0 &&
      compact.length > 0 &&
      i + 1 < text.length &&
      isAsciiAlnum(text.charCodeAt(i + 1))
    ) {
      i++;
    } else {
      return undefined;
    }
  }
  if (compact.length !== length || (i < text.length && isAsciiAlnum(text.charCodeAt(i))))
    return undefined;
  return { end: i, compact };
}

/** IBANs in compact or printed (blocks of four) form: country length table and mod-97. */
export const ibanDetector: Detector = {
  name: 'iban',
  types: ['IBAN'],
  patterns: [IBAN_START],
  detect(text, out) {
    const re = rewind(IBAN_START);
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      const start = m.index;
      const length = ibanLength(m[0].slice(0, 2));
      if (length === undefined || !boundaryBefore(text, start)) {
        re.lastIndex = start + 1;
        continue;
      }
      const hit = collect(text, start, length);
      if (hit && ibanValid(hit.compact)) {
        const score = scoreWithContext(text, start, hit.end, 0.9, CONTEXT);
        out.push({ type: 'IBAN', start, end: hit.end, score, rule: 'iban.mod97' });
        re.lastIndex = hit.end;
      } else {
        re.lastIndex = start + 1;
      }
    }
  },
};
