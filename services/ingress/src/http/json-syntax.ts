/** Where and how a JSON text breaks RFC 8259, described without quoting it. */
export interface JsonSyntaxError {
  /** What was wrong or expected, in the grammar's words (never the text's). */
  problem: string;
  /** 0-based index of the offending character (UTF-16 code units). */
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based, in characters from the start of the line. */
  column: number;
}

const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

/** Unwinds the descent at the first error; never leaves `jsonSyntaxError`. */
class Stop extends Error {
  constructor(
    readonly problem: string,
    readonly offset: number,
  ) {
    super(problem);
  }
}

/**
 * The first syntax error of `text`, or undefined if it is valid JSON. Run
 * only after `JSON.parse` failed, to say where: V8's messages differ between
 * versions and quote the text around the error, which may be a prompt.
 * Recursive; the caller bounds the nesting depth first (`jsonDepth`).
 */
export function jsonSyntaxError(text: string): JsonSyntaxError | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const stop = (problem: string, at = i): never => {
    throw new Stop(i >= text.length && at >= text.length ? 'unexpected end of input' : problem, at);
  };
  const expect = (c: string, problem: string) => {
    ws();
    if (text[i] !== c) stop(problem);
    i++;
  };
  const string = () => {
    const start = i;
    i++; // opening quote
    for (;;) {
      if (i >= text.length) stop('unterminated string', start);
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c < 0x20) stop('unescaped control character inside a string');
      if (c === 92) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) stop('invalid \\u escape');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else stop('invalid escape sequence');
      } else i++;
    }
  };
  const number = () => {
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m) stop('invalid number');
    i += m![0].length;
    if (i < text.length && /[0-9.eE+-]/.test(text[i]!)) stop('invalid number');
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === undefined) stop('expected a value');
    else if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') stop('expected a string as the property name');
        string();
        expect(':', "expected ':' after the property name");
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return;
        } else stop("expected ',' or '}' after the property value");
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return;
        } else stop("expected ',' or ']' after the array element");
      }
    } else if (c === '"') string();
    else if (c === '-' || (c >= '0' && c <= '9')) number();
    else {
      const literal = ['true', 'false', 'null'].find((l) => text.startsWith(l, i));
      if (!literal) stop('expected a value (object, array, string, number, true, false or null)');
      i += literal!.length;
    }
  };
  try {
    value();
    ws();
    if (i < text.length) stop('unexpected content after the JSON value');
    return undefined;
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
    const offset = Math.min(err.offset, text.length);
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - (before.lastIndexOf('\n') + 1) + 1;
    return { problem: err.problem, offset, line, column };
  }
}
