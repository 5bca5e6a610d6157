/** Words that say a nearby number is a phone number. */
export const PHONE_WORDS = [
  'phone',
  'tel',
  'telephone',
  'call',
  'calling',
  'mobile',
  'cell',
  'cellphone',
  'fax',
  'contact',
  'whatsapp',
  'sms',
  'text',
  'ring',
  'reach',
  'dial',
  'hotline',
  'landline',
  'telefono',
  'telefon',
  'portable',
  'mob',
  'ph',
  'phone number',
  'tel no',
];

// `/` is left out: `phone / fax` lists alternatives far more often than it divides.
const MATH = /[=*^+×÷<>%]/;

/** `415-555-2671 = x`, `2 * 4155552671`: an arithmetic operand, not a phone number or an ID. */
export function inArithmetic(text: string, start: number, end: number): boolean {
  let i = start - 1;
  while (i >= 0 && text.charCodeAt(i) === 32) i--;
  if (i >= 0 && MATH.test(text.charAt(i))) return true;
  let j = end;
  while (j < text.length && text.charCodeAt(j) === 32) j++;
  if (j >= text.length || !MATH.test(text.charAt(j))) return false;
  // ` +44 20 ...` after a space: the next international number of a list, not a plus sign.
  const c = text.charCodeAt(j + 1);
  return !(text.charAt(j) === '+' && j > end && c >= 48 && c <= 57);
}
