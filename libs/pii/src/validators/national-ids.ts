import { isRepeated, mod97, verhoeffValid } from './checksums';

const digitAt = (s: string, i: number): number => s.charCodeAt(i) - 48;

/** UK NHS number: 10 digits, weights 10..2, check = 11 - (sum mod 11), 10 is never issued. */
export function nhsValid(digits: string): boolean {
  if (digits.length !== 10 || isRepeated(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += digitAt(digits, i) * (10 - i);
  let check = 11 - (sum % 11);
  if (check === 11) check = 0;
  return check !== 10 && check === digitAt(digits, 9);
}

/** Brazilian CPF: 11 digits, two mod-11 check digits, repeated digits excluded. */
export function cpfValid(digits: string): boolean {
  if (digits.length !== 11 || isRepeated(digits)) return false;
  for (const len of [9, 10]) {
    let sum = 0;
    for (let i = 0; i < len; i++) sum += digitAt(digits, i) * (len + 1 - i);
    const check = ((sum * 10) % 11) % 10;
    if (check !== digitAt(digits, len)) return false;
  }
  return true;
}

/** Indian Aadhaar: 12 digits, first digit 2-9, Verhoeff checksum. */
export function aadhaarValid(digits: string): boolean {
  if (digits.length !== 12 || digits[0] === '0' || digits[0] === '1') return false;
  return !isRepeated(digits) && verhoeffValid(digits);
}

const NIF_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';

/**
 * Spanish DNI (8 digits + letter) or NIE (X, Y or Z + 7 digits + letter); the letter is the
 * number mod 23. `value` is upper case without separators.
 */
export function nifValid(value: string): boolean {
  let numeric = value.slice(0, -1);
  const letter = value[value.length - 1];
  const lead = numeric[0];
  if (lead === 'X' || lead === 'Y' || lead === 'Z') {
    if (numeric.length !== 8) return false;
    numeric = String('XYZ'.indexOf(lead)) + numeric.slice(1);
  } else if (numeric.length !== 8) {
    return false;
  }
  if (!/^\d{8}$/.test(numeric)) return false;
  return NIF_LETTERS[Number(numeric) % 23] === letter;
}

/**
 * French NIR (social security number): sex, year, month, department, commune, order, key.
 * Key = 97 - (first 13 digits mod 97). Corsican departments (2A/2B) are not supported.
 */
export function nirValid(digits: string): boolean {
  if (digits.length !== 15) return false;
  const sex = digits[0];
  if (sex !== '1' && sex !== '2' && sex !== '7' && sex !== '8') return false;
  const month = Number(digits.slice(3, 5));
  if (!((month >= 1 && month <= 12) || (month >= 20 && month <= 42) || month >= 50)) return false;
  if (digits.slice(5, 7) === '00') return false;
  const key = Number(digits.slice(13, 15));
  return key >= 1 && key <= 97 && 97 - mod97(digits.slice(0, 13)) === key;
}

/** US SSN: area 001-899 except 666, group 01-99, serial 0001-9999, known examples excluded. */
export function ssnValid(digits: string): boolean {
  if (digits.length !== 9 || isRepeated(digits)) return false;
  const area = Number(digits.slice(0, 3));
  const group = Number(digits.slice(3, 5));
  const serial = Number(digits.slice(5));
  if (area === 0 || area === 666 || area >= 900 || group === 0 || serial === 0) return false;
  return !SSN_EXAMPLES.has(digits);
}

// Published in advertising or documentation, never issued to a person.
const SSN_EXAMPLES = new Set(['078051120', '219099999', '123456789', '457555462']);
