/**
 * Structural ReDoS audit of a regex source. Backtracking blows up when a quantifier can
 * repeat something that itself repeats (`(a+)+`), or when an unbounded quantifier makes each
 * failed attempt scan to the end of the input (quadratic over a global scan). Rules:
 * - no unbounded quantifier (`*`, `+`, `{n,}`): every repetition has a ceiling;
 * - a quantified group may contain quantifiers only if its own ceiling is small (≤ 8), which
 *   bounds the backtracking per start position by a constant;
 * - no backreferences.
 * Returns the problems found (empty when the pattern passes).
 */
export function auditRegex(source: string): string[] {
  const problems: string[] = [];
  // Per open group: whether it contains a quantifier.
  const stack: boolean[] = [false];
  let lastAtomWasGroup = false;
  let lastGroupHadQuantifier = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (/[1-9k]/.test(next)) problems.push(`backreference \\${next} at ${i}`);
      i++;
      lastAtomWasGroup = false;
      continue;
    }
    if (c === '[') {
      i = skipClass(source, i);
      lastAtomWasGroup = false;
      continue;
    }
    if (c === '(') {
      stack.push(false);
      // Skip the group's `?:`, `?=`, `?!`, `?<=` or `?<!` so its `?` is not read as a quantifier.
      if (source[i + 1] === '?')
        i += source[i + 2] === '<' && /[=!]/.test(source[i + 3] ?? '') ? 3 : 2;
      lastAtomWasGroup = false;
      continue;
    }
    if (c === ')') {
      lastGroupHadQuantifier = stack.pop() ?? false;
      if (lastGroupHadQuantifier) stack[stack.length - 1] = true;
      lastAtomWasGroup = true;
      continue;
    }
    const q = readQuantifier(source, i);
    if (q) {
      if (q.max === Infinity)
        problems.push(`unbounded quantifier "${source.slice(i, q.end)}" at ${i}`);
      if (lastAtomWasGroup && lastGroupHadQuantifier && q.max > 8) {
        problems.push(
          `quantifier "${source.slice(i, q.end)}" at ${i} repeats a group that repeats`,
        );
      }
      stack[stack.length - 1] = true;
      i = q.end - 1;
      lastAtomWasGroup = false;
      continue;
    }
    lastAtomWasGroup = false;
  }
  return problems;
}

function skipClass(source: string, open: number): number {
  let i = open + 1;
  if (source[i] === '^') i++;
  if (source[i] === ']') i++;
  for (; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === ']') return i;
  }
  return i;
}

function readQuantifier(source: string, i: number): { max: number; end: number } | undefined {
  const c = source[i];
  let max: number;
  let end: number;
  if (c === '*' || c === '+') {
    max = Infinity;
    end = i + 1;
  } else if (c === '?') {
    max = 1;
    end = i + 1;
  } else if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
    if (!m) return undefined;
    max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]);
    end = i + m[0].length;
  } else {
    return undefined;
  }
  if (source[end] === '?') end++;
  return { max, end };
}
