import type { Detector } from '../detector';
import { classifyIds } from './ids';
import { classifyPhone } from './phone';
import { CHUNK_LOCATOR, forEachNumericWindow } from './windows';

/**
 * Everything that is mostly digits, found in one pass: payment cards, US SSN, national IDs,
 * IPv4 and phone numbers. Each chunk of digits and separators is cut into windows of groups
 * and every classifier checks shape, boundaries and check digits on each window.
 */
export const numericDetector: Detector = {
  name: 'numeric',
  types: [
    'CREDIT_CARD',
    'US_SSN',
    'UK_NHS',
    'ES_NIF',
    'BR_CPF',
    'IN_AADHAAR',
    'FR_NIR',
    'IP_ADDRESS',
    'PHONE',
  ],
  patterns: [CHUNK_LOCATOR],
  detect(text, out, ctx) {
    forEachNumericWindow(text, (w) => {
      classifyIds(text, w, out);
      classifyPhone(text, w, ctx.phoneRegions, out);
    });
  },
};
