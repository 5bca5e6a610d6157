import { luhnValid } from './checksums';

interface Issuer {
  name: string;
  /** Inclusive numeric prefix ranges, compared on the first `len` digits. */
  ranges: ReadonlyArray<readonly [number, number, number]>;
  lengths: readonly number[];
}

// [prefix length, low, high]
const ISSUERS: readonly Issuer[] = [
  { name: 'visa', ranges: [[1, 4, 4]], lengths: [13, 16, 19] },
  {
    name: 'mastercard',
    ranges: [
      [2, 51, 55],
      [4, 2221, 2720],
    ],
    lengths: [16],
  },
  {
    name: 'amex',
    ranges: [
      [2, 34, 34],
      [2, 37, 37],
    ],
    lengths: [15],
  },
  {
    name: 'discover',
    ranges: [
      [4, 6011, 6011],
      [3, 644, 649],
      [2, 65, 65],
    ],
    lengths: [16, 17, 18, 19],
  },
  {
    name: 'diners',
    ranges: [
      [3, 300, 305],
      [2, 36, 36],
      [2, 38, 39],
    ],
    lengths: [14, 15, 16, 17, 18, 19],
  },
  { name: 'jcb', ranges: [[4, 3528, 3589]], lengths: [16, 17, 18, 19] },
  { name: 'unionpay', ranges: [[2, 62, 62]], lengths: [16, 17, 18, 19] },
  { name: 'mir', ranges: [[4, 2200, 2204]], lengths: [16, 17, 18, 19] },
  {
    name: 'maestro',
    ranges: [
      [4, 5018, 5018],
      [4, 5020, 5020],
      [4, 5038, 5038],
      [4, 5893, 5893],
      [4, 6304, 6304],
      [4, 6759, 6759],
      [4, 6761, 6763],
    ],
    lengths: [13, 14, 15, 16, 17, 18, 19],
  },
];

/** The card network whose issuer range and length match `digits`, if any. */
export function cardIssuer(digits: string): string | undefined {
  // Leading-digit prefixes of length 1-6, computed once instead of per range.
  const prefix = [0];
  for (let i = 0; i < 6 && i < digits.length; i++)
    prefix.push((prefix[i] as number) * 10 + digits.charCodeAt(i) - 48);
  for (const issuer of ISSUERS) {
    if (!issuer.lengths.includes(digits.length)) continue;
    for (const [len, low, high] of issuer.ranges) {
      const p = prefix[len] ?? -1;
      if (p >= low && p <= high) return issuer.name;
    }
  }
  return undefined;
}

/** A payment card number: a valid Luhn check digit, and a known issuer range and length. */
export function cardValid(digits: string): boolean {
  return luhnValid(digits) && cardIssuer(digits) !== undefined;
}
