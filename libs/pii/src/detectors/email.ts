import { isAsciiAlnum } from '../core/chars';
import type { Detector } from './detector';

// File extensions that make `name@2x.png` look like an address.
const FILE_TLDS = new Set([
  'png',
  'jpg',
  'jpeg',
  'gif',
  'svg',
  'webp',
  'ico',
  'bmp',
  'js',
  'mjs',
  'cjs',
  'ts',
  'tsx',
  'jsx',
  'json',
  'css',
  'scss',
  'html',
  'htm',
  'md',
  'txt',
  'yml',
  'yaml',
  'xml',
  'map',
  'py',
  'rb',
  'go',
  'rs',
  'java',
  'kt',
  'php',
  'sh',
  'lock',
  'log',
  'csv',
  'pdf',
  'zip',
  'gz',
  'tar',
  'wasm',
  'vue',
  'svelte',
  'toml',
  'ini',
  'cfg',
  'conf',
  'min',
  'bin',
  'exe',
  'dll',
  'so',
]);

const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;
const MAX_LABEL = 63;

function isLocalChar(c: number): boolean {
  // letters, digits and ! # $ % & ' * + - / = ? ^ _ ` { | } ~ . (dot checked separately)
  return isAsciiAlnum(c) || c === 46 || c === 95 || c === 45 || c === 43 || c === 37 || c === 39;
}

function isLabelChar(c: number): boolean {
  return isAsciiAlnum(c) || c === 45;
}

/** Start of the local part ending at `at`, or -1 when there is none or it is too long. */
function scanLocal(text: string, at: number): number {
  let i = at;
  const floor = Math.max(0, at - MAX_LOCAL - 1);
  while (i > floor && isLocalChar(text.charCodeAt(i - 1))) i--;
  if (i === at) return -1;
  if (i === floor && floor > 0 && isLocalChar(text.charCodeAt(i - 1))) return -1;
  while (i < at && text.charCodeAt(i) === 46) i++;
  if (i === at || text.charCodeAt(at - 1) === 46) return -1;
  return i;
}

/** End of the domain starting after `at` (exclusive), or -1 when it is not a domain name. */
function scanDomain(text: string, at: number): number {
  let i = at + 1;
  const limit = Math.min(text.length, i + MAX_DOMAIN);
  let labels = 0;
  let lastLabelStart = i;
  let end = -1;
  while (i < limit) {
    const start = i;
    while (i < limit && i - start < MAX_LABEL && isLabelChar(text.charCodeAt(i))) i++;
    if (i === start || text.charCodeAt(start) === 45 || text.charCodeAt(i - 1) === 45) break;
    labels++;
    lastLabelStart = start;
    end = i;
    if (text.charCodeAt(i) === 46 && i + 1 < limit && isLabelChar(text.charCodeAt(i + 1))) i++;
    else break;
  }
  if (labels < 2 || end === -1) return -1;
  const tld = text.slice(lastLabelStart, end);
  if (tld.length < 2 || tld.length > 24 || !/^[A-Za-z]+$/.test(tld)) return -1;
  if (labels === 2 && FILE_TLDS.has(tld.toLowerCase())) return -1;
  // Still inside a longer token (`a@b.com_x`): not an address.
  const after = text.charCodeAt(end);
  if (end < text.length && (isAsciiAlnum(after) || after === 95 || after === 64)) return -1;
  return end;
}

/** The local part follows `scheme://user:`: that is a URL's userinfo, not an address. */
function inUrlUserinfo(text: string, localStart: number): boolean {
  if (localStart === 0 || text.charCodeAt(localStart - 1) !== 58) return false;
  // Bounded look-back: an unbounded lastIndexOf would make many `a:b@c.de` quadratic.
  const before = text.slice(Math.max(0, localStart - 300), localStart);
  const scheme = before.lastIndexOf('://');
  return scheme !== -1 && !/\s/.test(before.slice(scheme));
}

/** E-mail addresses, anchored on `@` and expanded both ways (RFC 5321 length limits). */
export const emailDetector: Detector = {
  name: 'email',
  types: ['EMAIL'],
  patterns: [],
  detect(text, out) {
    let at = text.indexOf('@');
    while (at !== -1) {
      const start = scanLocal(text, at);
      const end = start === -1 ? -1 : scanDomain(text, at);
      if (start !== -1 && end !== -1 && !inUrlUserinfo(text, start)) {
        out.push({ type: 'EMAIL', start, end, score: 0.95, rule: 'email.rfc5321' });
        at = text.indexOf('@', end);
      } else {
        at = text.indexOf('@', at + 1);
      }
    }
  },
};
