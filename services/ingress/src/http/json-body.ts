import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../http/api-error';

/**
 * Replaces Fastify's JSON parser: rejects too-deeply nested documents before
 * parsing them (a cheap guard against stack exhaustion) and answers
 * non-JSON with where it broke.
 */
export function installJsonBodyParser(app: FastifyInstance, maxDepth: number): void {
  // JSON only: Fastify's built-in text/plain parser would let a string body through as an "event".
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    (_req: FastifyRequest, body: string | Buffer, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      const depth = jsonDepth(text);
      if (depth > maxDepth) {
        done(
          new ApiError(
            400,
            'too_deeply_nested',
            `the JSON body nests ${depth} levels deep; at most ${maxDepth} are allowed`,
          ),
          undefined,
        );
        return;
      }
      try {
        done(null, text.length === 0 ? undefined : (JSON.parse(text) as unknown));
      } catch (err) {
        done(
          new ApiError(
            400,
            'invalid_json',
            `the body is not valid JSON: ${(err as Error).message}`,
          ),
          undefined,
        );
      }
    },
  );
}

/** Deepest nesting of objects and arrays in a JSON text, ignoring brackets inside strings. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) max = Math.max(max, ++depth);
    else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return max;
}
