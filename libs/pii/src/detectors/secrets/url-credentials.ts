import { isAsciiAlnum, isSpace } from '../../core/chars';
import { charClasses, shannonEntropy } from '../../validators/entropy';
import type { Detector } from '../detector';
import { isPlaceholder } from './placeholders';

const MAX_SCHEME = 32;
const MAX_USERINFO = 256;

function schemeStart(text: string, sep: number): number {
  let i = sep;
  const floor = Math.max(0, sep - MAX_SCHEME);
  while (i > floor) {
    const c = text.charCodeAt(i - 1);
    if (!(isAsciiAlnum(c) || c === 43 || c === 45 || c === 46)) break;
    i--;
  }
  const first = text.charCodeAt(i);
  return i < sep && ((first >= 65 && first <= 90) || (first >= 97 && first <= 122)) ? i : -1;
}

/** End of userinfo (the `@`), or -1 when the authority has none. */
function userinfoEnd(text: string, from: number): number {
  const limit = Math.min(text.length, from + MAX_USERINFO);
  for (let i = from; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === 64) return i;
    if (
      c === 47 ||
      c === 63 ||
      c === 35 ||
      isSpace(c) ||
      c === 34 ||
      c === 39 ||
      c === 60 ||
      c === 62
    )
      return -1;
  }
  return -1;
}

/**
 * Credentials embedded in a URL (`postgres://app:s3cr3t@db:5432`). The finding covers the
 * userinfo only, so the redacted URL stays readable. A password that is a placeholder
 * (`****`, `${DB_PASS}`, `password`) is not reported; a token-only userinfo
 * (`https://<token>@github.com`) is reported when it looks random.
 */
export const urlCredentialsDetector: Detector = {
  name: 'secrets.url-credentials',
  types: ['URL_CREDENTIALS'],
  patterns: [],
  detect(text, out) {
    let sep = text.indexOf('://');
    while (sep !== -1) {
      const from = sep + 3;
      const at = schemeStart(text, sep) === -1 ? -1 : userinfoEnd(text, from);
      if (at > from) {
        const userinfo = text.slice(from, at);
        const colon = userinfo.indexOf(':');
        const password = colon === -1 ? '' : userinfo.slice(colon + 1);
        const hostOk = at + 1 < text.length && isAsciiAlnum(text.charCodeAt(at + 1));
        let score = 0;
        if (colon > -1 && password.length > 0 && !isPlaceholder(password)) score = 0.9;
        else if (
          colon === -1 &&
          userinfo.length >= 20 &&
          charClasses(userinfo) >= 2 &&
          shannonEntropy(userinfo) >= 3.5
        )
          score = 0.8;
        if (score > 0 && hostOk) {
          out.push({
            type: 'URL_CREDENTIALS',
            start: from,
            end: at,
            score,
            rule: 'secret.url-userinfo',
          });
        }
      }
      sep = text.indexOf('://', at > from ? at : from);
    }
  },
};
