// Character-class helpers on UTF-16 code units. Hand-written scanners use these instead of
// regexes so that their cost is one pass over the input.

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

export function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}

export function isAsciiAlnum(c: number): boolean {
  return isDigit(c) || isUpper(c) || isLower(c);
}

/** ASCII letters, digits and `_`: the characters that glue a token to its neighbour. */
export function isWordChar(c: number): boolean {
  return isAsciiAlnum(c) || c === 95;
}

export function isHex(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

export function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11 || c === 160;
}

/** True when the code unit before `pos` does not continue a word (or `pos` is 0). */
export function boundaryBefore(text: string, pos: number): boolean {
  return pos === 0 || !isWordChar(text.charCodeAt(pos - 1));
}

/** True when the code unit at `pos` does not continue a word (or `pos` is the end). */
export function boundaryAfter(text: string, pos: number): boolean {
  return pos >= text.length || !isWordChar(text.charCodeAt(pos));
}
