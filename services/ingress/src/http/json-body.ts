import { isUtf8 } from 'node:buffer';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../http/api-error';
import { jsonSyntaxError } from './json-syntax';

/**
 * Replaces Fastify's JSON parser: refuses a body that is not UTF-8 (rather
 * than decoding it with replacement characters), rejects too-deeply nested
 * documents before parsing them (a cheap guard against stack exhaustion) and
 * answers non-JSON with where it broke. An error never quotes the body: it
 * may be a prompt.
 */
export function installJsonBodyParser(app: FastifyInstance, maxDepth: number): void {
  // JSON only: Fastify's built-in text/plain parser would let a string body through as an "event".
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer' },
    (_req: FastifyRequest, body: string | Buffer, done) => {
      try {
        done(null, parseJsonBody(body, maxDepth));
      } catch (err) {
        done(err as Error, undefined);
      }
    },
  );
}

/** The JSON value of a request body (undefined when empty), or an ApiError that says what is wrong and where. */
export function parseJsonBody(body: string | Buffer, maxDepth: number): unknown {
  if (typeof body !== 'string' && !isUtf8(body)) {
    throw new ApiError(
      400,
      'invalid_utf8',
      `the body is not valid UTF-8: an invalid byte sequence starts at byte ${invalidUtf8Offset(body)}; send JSON encoded as UTF-8`,
    );
  }
  let text = typeof body === 'string' ? body : body.toString('utf8');
  // RFC 8259 §8.1: a parser may ignore a byte order mark.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const depth = jsonDepth(text);
  if (depth > maxDepth) {
    throw new ApiError(
      400,
      'too_deeply_nested',
      `the JSON body nests ${depth} levels deep; at most ${maxDepth} are allowed`,
    );
  }
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // V8's own message quotes the text around the error; locate it without echoing anything.
    const e = jsonSyntaxError(text);
    throw new ApiError(
      400,
      'invalid_json',
      e
        ? `the body is not valid JSON: ${e.problem} at line ${e.line}, column ${e.column} (character ${e.offset})`
        : 'the body is not valid JSON',
    );
  }
}

// The characters that matter for nesting; everything else is skipped by the regex engine.
const STRUCTURAL = /["[\]{}]/g;

/**
 * Deepest nesting of objects and arrays in a JSON text, ignoring brackets
 * inside strings. Strings (prompts: most of a body) are jumped over with
 * `indexOf` rather than read a character at a time.
 */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  STRUCTURAL.lastIndex = 0;
  for (let m = STRUCTURAL.exec(text); m !== null; m = STRUCTURAL.exec(text)) {
    const c = text.charCodeAt(m.index);
    if (c === 34 /* " */) {
      const end = closingQuote(text, m.index + 1);
      if (end < 0) return max; // unterminated: JSON.parse reports where
      STRUCTURAL.lastIndex = end + 1;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > max) max = depth;
    } else depth--;
  }
  return max;
}

/** Index of the quote that closes a string starting at `from`, or -1. */
function closingQuote(text: string, from: number): number {
  for (let j = text.indexOf('"', from); j >= 0; j = text.indexOf('"', j + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(j - 1 - backslashes) === 92 /* \ */) backslashes++;
    if (backslashes % 2 === 0) return j;
  }
  return -1;
}

/** Offset of the first byte that does not start a valid UTF-8 sequence (RFC 3629), or -1. */
export function invalidUtf8Offset(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [n, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [n, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [n, min] = [3, 0x10000];
    else return i;
    if (i + n >= buf.length) return i;
    let cp = b & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const c = buf[i + k]!;
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return -1;
}
