import { isSpace } from '../../core/chars';
import { charClasses, shannonEntropy } from '../../validators/entropy';
import type { Finding } from '../../types';
import type { Detector } from '../detector';
import { isPlaceholder } from './placeholders';

const MAX_IDENT = 40;
const MAX_VALUE = 256;
const AWS_SECRET = /^[A-Za-z0-9/+]{40}$/;
const ASSIGN = [':=', '=>', '->', ':', '='];
const AUTH_SCHEME = /^(?:bearer|basic|token|digest)$/i;

function isIdentChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) ||
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    c === 95 ||
    c === 45 ||
    c === 46
  );
}

function isValueChar(c: number): boolean {
  // Printable ASCII except quotes, separators and brackets that end a value in code or prose.
  if (c <= 32 || c >= 127) return false;
  return !(
    c === 34 ||
    c === 39 ||
    c === 96 ||
    c === 44 ||
    c === 59 ||
    c === 58 ||
    c === 40 ||
    c === 41 ||
    c === 91 ||
    c === 93 ||
    c === 123 ||
    c === 125 ||
    c === 60 ||
    c === 62
  );
}

function skipSpaces(text: string, i: number, max = 4): number {
  const limit = Math.min(text.length, i + max);
  while (i < limit && isSpace(text.charCodeAt(i)) && text.charCodeAt(i) !== 10) i++;
  return i;
}

function skipQuote(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return c === 34 || c === 39 || c === 96 ? i + 1 : i;
}

/** Offset just after the assignment operator following the identifier, or -1. */
function afterAssignment(text: string, i: number, bare: boolean): number {
  i = skipSpaces(text, skipQuote(text, i));
  for (const op of ASSIGN) if (text.startsWith(op, i)) return i + op.length;
  const word = text.slice(i, i + 4).toLowerCase();
  if (word === 'is ' || word.startsWith('is ')) return i + 2;
  if (word === 'was ') return i + 3;
  return bare && i > 0 && isSpace(text.charCodeAt(i - 1)) ? i : -1;
}

function readValue(text: string, i: number): { start: number; end: number } {
  const limit = Math.min(text.length, i + MAX_VALUE + 1);
  let end = i;
  while (end < limit && isValueChar(text.charCodeAt(end))) end++;
  while (end > i && text.charCodeAt(end - 1) === 46) end--;
  return { start: i, end };
}

// A file path or URL, not a value: `./certs/key.pem`, `/etc/ssl/private/x`, `https://...`.
function looksLikePath(value: string): boolean {
  if (
    /^(?:\.{1,2}\/|~\/|https?:)/.test(value) ||
    /\.(?:pem|key|json|txt|crt|p12|pfx|ya?ml|env|pub)$/i.test(value)
  )
    return true;
  return value.startsWith('/') && (value.match(/\//g)?.length ?? 0) >= 2 && !/[+=]/.test(value);
}

function looksSecret(value: string, passwordish: boolean): boolean {
  if (value.length < (passwordish ? 6 : 8) || value.length > MAX_VALUE || isPlaceholder(value))
    return false;
  // Words joined by separators, CONSTANT_CASE or camelCase: an identifier, not a secret.
  if (/^[a-z]+(?:[_-][a-z]+)*$/.test(value) || /^[A-Z]+(?:[_-][A-Z]+)*$/.test(value)) return false;
  if (/^[A-Z]?[a-z]+(?:[A-Z][a-z]+)*$/.test(value)) return false;
  if (looksLikePath(value)) return false;
  if (/^\d+(?:\.\d+)*$/.test(value)) return false;
  if (passwordish) return charClasses(value) >= 2 || value.length >= 12;
  return charClasses(value) >= 2 && shannonEntropy(value) >= 3;
}

// Words that may be glued in front of a keyword: `apikey`, `dbpass`, `accesstoken`.
const GLUED_PREFIX =
  /(?:api|app|apps|access|refresh|auth|id|session|client|private|db|root|admin|master|my|aws|gh|service|bot|webhook|signing|encryption|ssh|jwt|oauth|consumer|account|storage|user|new|old|current)$/i;

/** The keyword starts a word or a camelCase hump, or follows a known prefix; not `impassioned`. */
function keywordStartsSegment(text: string, at: number): boolean {
  const prev = at > 0 ? text.charCodeAt(at - 1) : 32;
  const letter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  if (!letter(prev)) return true;
  const first = text.charCodeAt(at);
  if (first >= 65 && first <= 90 && prev >= 97 && prev <= 122) return true;
  let i = at;
  while (i > 0 && letter(text.charCodeAt(i - 1)) && at - i < 16) i--;
  return GLUED_PREFIX.test(text.slice(i, at)) && (i === 0 || !letter(text.charCodeAt(i - 1)));
}

function scanAt(text: string, at: number, keyword: string, out: Finding[]): number {
  if (!keywordStartsSegment(text, at)) return at + keyword.length;
  let identStart = at;
  const floor = Math.max(0, at - MAX_IDENT);
  while (identStart > floor && isIdentChar(text.charCodeAt(identStart - 1))) identStart--;
  let identEnd = at + keyword.length;
  const ceil = Math.min(text.length, identEnd + MAX_IDENT);
  while (identEnd < ceil && isIdentChar(text.charCodeAt(identEnd))) identEnd++;
  const ident = text.slice(identStart, identEnd).toLowerCase();
  const bare = /(?:bearer|authorization)$/.test(ident);
  let pos = afterAssignment(text, identEnd, bare);
  if (pos === -1) return identEnd;
  pos = skipQuote(text, skipSpaces(text, pos));
  let value = readValue(text, pos);
  if (AUTH_SCHEME.test(text.slice(value.start, value.end))) {
    value = readValue(text, skipSpaces(text, value.end));
  }
  const v = text.slice(value.start, value.end);
  const passwordish = /pass|pwd/.test(ident);
  const aws =
    ident.includes('secret') && /aws|access_?key|accesskey/.test(ident) && AWS_SECRET.test(v);
  if (!aws && !looksSecret(v, passwordish)) return identEnd;
  out.push({
    type: aws ? 'AWS_SECRET_KEY' : 'SECRET_GENERIC',
    start: value.start,
    end: value.end,
    score: aws ? 0.95 : 0.75,
    rule: aws
      ? 'secret.aws-secret-key'
      : passwordish
        ? 'secret.keyword-password'
        : 'secret.keyword-entropy',
  });
  return value.end;
}

/**
 * Values assigned to something named like a secret: `api_key = "..."`, `"password": "..."`,
 * `Authorization: Bearer ...`, `my password is ...`. Token-like values must mix character
 * classes and reach 3 bits/char of entropy; password-like ones need two classes. Placeholders
 * and code references are skipped. An AWS secret key is a 40-char value next to an AWS name.
 */
export const genericSecretDetector: Detector = {
  name: 'secrets.generic',
  types: ['SECRET_GENERIC', 'AWS_SECRET_KEY'],
  patterns: [],
  detect(text, out, ctx) {
    let resume = 0;
    for (const cue of ctx.cues()) {
      if (cue.family !== 'secret' || cue.at < resume) continue;
      resume = scanAt(text, cue.at, cue.word, out);
    }
  },
};
