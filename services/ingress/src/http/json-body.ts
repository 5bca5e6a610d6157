import { isUtf8 } from 'node:buffer';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../http/api-error';
import { jsonSyntaxError } from './json-syntax';

/**
 * Replaces Fastify's JSON parser: refuses a body that is not UTF-8 (rather
 * than decoding it with replacement characters), rejects too-deeply nested
 * documents (a guard for the recursive code that reads them after) and
 * answers non-JSON with where it broke. An error never quotes the body: it
 * may be a prompt.
 */
export function installJsonBodyParser(app: FastifyInstance, maxDepth: number): void {
  // JSON only: Fastify's built-in text/plain parser would let a string body through as an "event".
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer' },
    (req: FastifyRequest, body: string | Buffer, done) => {
      try {
        const value = parseJsonBody(body, maxDepth);
        // A false positive (an escaped backslash before a u) only costs the full text check.
        (req as JsonBodyRequest).bodyHasUnicodeEscapes = body.includes('\\u');
        done(null, value);
      } catch (err) {
        done(err as Error, undefined);
      }
    },
  );
}

type JsonBodyRequest = FastifyRequest & { bodyHasUnicodeEscapes?: boolean };

/**
 * Whether every string of the request's parsed body is well-formed text (no NUL, no unpaired
 * surrogate), known without reading the strings: the body was valid UTF-8 (checked by the
 * parser) and held no `\u` escape, the only way JSON can carry either.
 */
export function bodyTextKnownWellFormed(req: FastifyRequest): boolean {
  return (req as JsonBodyRequest).bodyHasUnicodeEscapes === false;
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
  if (text.length === 0) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    // Deep nesting is refused before the (recursive) syntax locator runs on the text.
    refuseDeepNesting(jsonDepth(text), maxDepth);
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
  // V8's JSON.parse is iterative, so a deep document parses without exhausting the stack; the
  // bound protects the recursive code after it. Walking the parsed value costs a tenth of
  // scanning the text (strings are leaves, never read), and for valid JSON both give the same
  // depth, so the scan runs only to name the depth of a document that is refused.
  if (nestsDeeperThan(value, maxDepth)) refuseDeepNesting(jsonDepth(text), maxDepth);
  return value;
}

function refuseDeepNesting(depth: number, maxDepth: number): void {
  if (depth > maxDepth) {
    throw new ApiError(
      400,
      'too_deeply_nested',
      `the JSON body nests ${depth} levels deep; at most ${maxDepth} are allowed`,
    );
  }
}

/** Whether objects and arrays in `value` nest more than `limit` levels; recurses at most limit + 1 deep. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (limit <= 0) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (nestsDeeperThan(item, limit - 1)) return true;
    return false;
  }
  const o = value as Record<string, unknown>;
  for (const k in o) if (nestsDeeperThan(o[k], limit - 1)) return true;
  return false;
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
