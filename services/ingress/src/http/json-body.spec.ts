import { ApiError } from './api-error';
import fc from 'fast-check';
import Fastify from 'fastify';
import {
  bodyTextKnownWellFormed,
  installJsonBodyParser,
  invalidUtf8Offset,
  jsonDepth,
  nestsDeeperThan,
  parseJsonBody,
} from './json-body';

/** The plain character-by-character scan, the reference for the faster one. */
function referenceDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') max = Math.max(max, ++depth);
    else if (c === '}' || c === ']') depth--;
  }
  return max;
}

import { jsonSyntaxError } from './json-syntax';

describe('jsonDepth', () => {
  it('agrees with a character-by-character scan on any text built from JSON punctuation', () => {
    const piece = fc.constantFrom('{', '}', '[', ']', '"', '\\', 'a', ':', ',', '\\"', ' ');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 200 }), (parts) => {
        const text = parts.join('');
        expect(jsonDepth(text)).toBe(referenceDepth(text));
      }),
      { numRuns: 2_000, seed: 20261201 },
    );
  });

  it('agrees with the scan on real JSON documents', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), (value) => {
        const text = JSON.stringify(value);
        expect(jsonDepth(text)).toBe(referenceDepth(text));
      }),
      { numRuns: 500, seed: 20261201 },
    );
  });

  it.each([
    ['a scalar', '42', 0],
    ['a string', '"hello"', 0],
    ['an empty text', '', 0],
    ['an empty object', '{}', 1],
    ['an empty array', '[]', 1],
    ['an object in an array', '[{"a":1}]', 2],
    ['siblings, not nesting', '[[1],[2],[3]]', 2],
    ['the deepest branch', '{"a":[1],"b":{"c":{"d":[[]]}}}', 5],
  ])('measures %s as %i levels', (_what, text, depth) => {
    expect(jsonDepth(text)).toBe(depth);
  });

  it('counts deep nesting without recursion', () => {
    const depth = 100_000;
    expect(jsonDepth('['.repeat(depth) + ']'.repeat(depth))).toBe(depth);
    expect(jsonDepth('{"a":'.repeat(depth) + '1' + '}'.repeat(depth))).toBe(depth);
  });

  it('ignores brackets inside strings', () => {
    expect(jsonDepth('{"prompt":"[[[[{{{{"}')).toBe(1);
    expect(jsonDepth('["}}}]]]"]')).toBe(1);
  });

  it('ignores an escaped quote inside a string, so the brackets after it stay in the string', () => {
    expect(jsonDepth(String.raw`{"a":"say \"[[[[\" now"}`)).toBe(1);
  });

  it('ends a string at a quote that follows an escaped backslash', () => {
    expect(jsonDepth(String.raw`{"a":"c:\\","b":[[1]]}`)).toBe(3);
  });

  it('counts brackets inside a key name as text', () => {
    expect(jsonDepth('{"[{[{":1}')).toBe(1);
  });
});

describe('nestsDeeperThan', () => {
  it('agrees with the text scan on every parsed JSON document and every limit', () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 8 }),
        fc.integer({ min: 0, max: 10 }),
        (value, limit) => {
          const depth = jsonDepth(JSON.stringify(value));
          expect(nestsDeeperThan(value, limit)).toBe(depth > limit);
        },
      ),
      { numRuns: 1_000, seed: 20261201 },
    );
  });

  it('stops at the limit, so a very deep value costs no deep recursion', () => {
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)) as unknown;
    expect(nestsDeeperThan(deep, 16)).toBe(true);
  });
});

describe('parseJsonBody', () => {
  const CANARY = 'canary-7f3a jane.doe@example.com';
  const refusal = (body: string | Buffer) => {
    try {
      parseJsonBody(typeof body === 'string' ? Buffer.from(body) : body, 32);
    } catch (err) {
      if (err instanceof ApiError)
        return err.getResponse() as { error: { code: string; message: string } };
      throw err;
    }
    throw new Error('expected a refusal');
  };

  it('parses UTF-8 JSON, ignores a byte order mark and reads an empty body as undefined', () => {
    expect(parseJsonBody(Buffer.from('{"a":"é😀"}'), 32)).toEqual({ a: 'é😀' });
    expect(parseJsonBody(Buffer.from('\ufeff[1]'), 32)).toEqual([1]);
    expect(parseJsonBody(Buffer.alloc(0), 32)).toBeUndefined();
  });

  it.each([
    [
      'a bare word',
      `${CANARY}`,
      'expected a value (object, array, string, number, true, false or null)',
      1,
      1,
    ],
    [
      'a bad token after a key',
      `{"prompt": ${CANARY}}`,
      'expected a value (object, array, string, number, true, false or null)',
      1,
      12,
    ],
    [
      'a missing comma',
      `{"a": "${CANARY}" "b": 1}`,
      "expected ',' or '}' after the property value",
      1,
      42,
    ],
    ['a truncated body', `{"content": "${CANARY}`, 'unterminated string', 1, 13],
    [
      'an unquoted key on line 2',
      `{\n  ${CANARY}: 1}`,
      'expected a string as the property name',
      2,
      3,
    ],
    [
      'a trailing comma',
      `["${CANARY}",]`,
      'expected a value (object, array, string, number, true, false or null)',
      1,
      37,
    ],
    ['trailing content', `{} ${CANARY}`, 'unexpected content after the JSON value', 1, 4],
    [
      'a raw newline inside a string',
      `["${CANARY}\n"]`,
      'unescaped control character inside a string',
      1,
      35,
    ],
    ['a bad escape', `["${CANARY}\\x"]`, 'invalid escape sequence', 1, 35],
    ['an end inside an object', `{"${CANARY}":`, 'unexpected end of input', 1, 37],
    ['a leading zero', `[012]`, 'invalid number', 1, 3],
  ])(
    'says where %s breaks the JSON without quoting the body',
    (_what, body, problem, line, column) => {
      const { error } = refusal(body);
      expect(error.code).toBe('invalid_json');
      expect(error.message).toContain(`${problem} at line ${line}, column ${column}`);
      expect(error.message).not.toMatch(/canary|jane/);
    },
  );

  it.each([
    ['valid', '['.repeat(100_000) + ']'.repeat(100_000)],
    ['invalid', '['.repeat(100_000) + 'x'],
  ])(
    'refuses a %s document nested 100,000 deep with its depth, before any recursive reading',
    (_what, text) => {
      const { error } = refusal(text);
      expect(error.code).toBe('too_deeply_nested');
      expect(error.message).toContain('nests 100000 levels deep; at most 32 are allowed');
    },
  );

  it('refuses a body that is not UTF-8 with the byte offset, never decoding it with replacement characters', () => {
    const body = Buffer.concat([
      Buffer.from(`{"content":"${CANARY} `),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}'),
    ]);
    const { error } = refusal(body);
    expect(error.code).toBe('invalid_utf8');
    expect(error.message).toContain(`byte ${12 + CANARY.length + 1}`);
    expect(error.message).not.toMatch(/canary|jane/);
  });

  it.each([
    ['a lone continuation byte', [0x80], 0],
    ['an overlong slash', [0x61, 0xc0, 0xaf], 1],
    ['a UTF-8 encoded surrogate', [0xed, 0xa0, 0x80], 0],
    ['a sequence cut short', [0x61, 0x62, 0xe2, 0x82], 2],
    ['a code point past U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
  ])('finds %s', (_what, bytes, offset) => {
    expect(invalidUtf8Offset(Uint8Array.from(bytes))).toBe(offset);
  });

  it('finds nothing wrong in valid UTF-8 of every length', () => {
    expect(invalidUtf8Offset(Buffer.from('a é € 😀'))).toBe(-1);
  });

  it('finds no syntax error in valid JSON', () => {
    expect(jsonSyntaxError('{"a":[1,-2.5e3,true,false,null,"\\u00e9\\n"]}')).toBeUndefined();
  });
});

describe('bodyTextKnownWellFormed', () => {
  const known = async (body: string | Buffer): Promise<boolean> => {
    const app = Fastify();
    installJsonBodyParser(app, 32);
    app.post('/', (req) => ({ known: bodyTextKnownWellFormed(req) }));
    const res = await app.inject({
      method: 'POST',
      url: '/',
      headers: { 'content-type': 'application/json' },
      payload: body,
    });
    await app.close();
    return res.json<{ known: boolean }>().known;
  };

  it('vouches for a body without \\u escapes, emoji and accents included', async () => {
    expect(await known('{"a":"é😀 [x] \\n \\"q\\""}')).toBe(true);
  });

  it.each([
    ['an escaped NUL', '{"a":"x\\u0000y"}'],
    ['an escaped lone surrogate', '{"a":"\\ud83d"}'],
    ['an escaped letter', '{"a":"\\u0041"}'],
  ])('leaves a body with %s to the full text check', async (_what, body) => {
    expect(await known(body)).toBe(false);
  });

  it('vouches for nothing when the parser did not run', async () => {
    const app = Fastify();
    app.get('/', (req) => ({ known: bodyTextKnownWellFormed(req) }));
    const res = await app.inject({ method: 'GET', url: '/' });
    await app.close();
    expect(res.json()).toEqual({ known: false });
  });
});
