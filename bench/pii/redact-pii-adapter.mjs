// Runs redact-pii (npm `redact-pii`, SyncRedactor: regexes plus a list of well-known names)
// and recovers spans from its output. It only returns redacted text, and its built-ins ignore
// a per-redactor replacement, so: for typed spans, one SyncRedactor per built-in with only
// that built-in enabled and a private-use replacement character; for untyped spans (what the
// default configuration redacts at all), the default set with that character as global
// replacement. The output is then aligned with the input.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { SyncRedactor } = require('redact-pii');

export const version = require('redact-pii/package.json').version;

// redact-pii built-in → our type.
const BUILT_INS = {
  creditCardNumber: 'CREDIT_CARD',
  streetAddress: 'ADDRESS',
  zipcode: 'ZIPCODE',
  phoneNumber: 'PHONE',
  ipAddress: 'IP_ADDRESS',
  usSocialSecurityNumber: 'US_SSN',
  emailAddress: 'EMAIL',
  username: 'USERNAME',
  password: 'SECRET_GENERIC',
  credentials: 'SECRET_GENERIC',
  digits: 'DIGITS',
  url: 'URL',
  names: 'PERSON',
};
const MARK = '\uE000';

/** The default configuration, for the speed comparison. */
export const createRedactPii = () => new SyncRedactor();

const only = (name) =>
  new SyncRedactor({
    globalReplaceWith: MARK,
    builtInRedactors: Object.fromEntries(
      Object.keys(BUILT_INS).map((n) => [n, { enabled: n === name }]),
    ),
  });
const typed = Object.entries(BUILT_INS).map(([name, type]) => ({ type, redactor: only(name) }));
const untyped = new SyncRedactor({ globalReplaceWith: MARK });

/** Spans of `text` that `out` (text with MARK in place of each redacted value) replaced. */
function align(text, out) {
  const literals = out.split(MARK);
  const spans = [];
  let pos = literals[0].length;
  for (let i = 1; i < literals.length; i++) {
    const lit = literals[i];
    const last = i === literals.length - 1;
    let end;
    if (lit === '') end = last ? text.length : pos;
    else if (last) end = text.length - lit.length;
    else end = text.indexOf(lit, pos + 1);
    if (end === -1 || end < pos) end = pos;
    if (end > pos) spans.push({ start: pos, end });
    pos = end + lit.length;
  }
  return spans;
}

/** Typed spans: each built-in run alone. */
export function redactPiiTyped(text) {
  return typed.flatMap(({ type, redactor }) =>
    align(text, redactor.redact(text)).map((s) => ({ type, ...s })),
  );
}

/** What the default configuration redacts, untyped. */
export function redactPiiUntyped(text) {
  return align(text, untyped.redact(text)).map((s) => ({ type: 'ANY', ...s }));
}
