import { sqlIdentifier } from './sql';

/** A `.sql` file that cannot be split or rendered: never retriable. */
export class SqlScriptError extends Error {
  readonly retriable = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SqlScriptError';
  }
}

type SegmentKind = 'code' | 'string' | 'quoted-identifier' | 'comment';

interface Segment {
  kind: SegmentKind;
  text: string;
}

/**
 * Cuts SQL text into code, literals and comments, following ClickHouse's
 * lexer: `'…'` strings, `"…"` and `` `…` `` identifiers (each with backslash
 * escapes and doubled closing quotes), `--` line comments and `/* … *\/`
 * block comments.
 */
function segments(text: string, source: string): Segment[] {
  const out: Segment[] = [];
  let code = '';
  let i = 0;
  const flushCode = () => {
    if (code) out.push({ kind: 'code', text: code });
    code = '';
  };
  while (i < text.length) {
    const ch = text[i]!;
    const next = text[i + 1];
    if (ch === "'" || ch === '"' || ch === '`') {
      flushCode();
      const end = closingQuote(text, i, ch);
      if (end < 0) throw unterminated(text, i, source, `${ch}-quoted text`);
      out.push({ kind: ch === "'" ? 'string' : 'quoted-identifier', text: text.slice(i, end + 1) });
      i = end + 1;
    } else if (ch === '-' && next === '-') {
      flushCode();
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      out.push({ kind: 'comment', text: text.slice(i, stop) });
      i = stop;
    } else if (ch === '/' && next === '*') {
      flushCode();
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw unterminated(text, i, source, 'block comment');
      out.push({ kind: 'comment', text: text.slice(i, end + 2) });
      i = end + 2;
    } else {
      code += ch;
      i++;
    }
  }
  flushCode();
  return out;
}

function closingQuote(text: string, start: number, quote: string): number {
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') {
      i++; // skip the escaped character
    } else if (ch === quote) {
      if (text[i + 1] === quote) {
        i++; // doubled quote stands for one
      } else {
        return i;
      }
    }
  }
  return -1;
}

function unterminated(text: string, at: number, source: string, what: string): SqlScriptError {
  const line = text.slice(0, at).split('\n').length;
  return new SqlScriptError(`${source}: unterminated ${what} starting on line ${line}`);
}

/**
 * Splits a script into statements at `;` outside literals and comments.
 * Comments are dropped (replaced by whitespace so tokens never join);
 * statements that are empty after that are skipped. The `;` itself is not
 * part of a statement.
 *
 * @param source name used in error messages, e.g. the file name.
 */
export function splitStatements(text: string, source = 'SQL'): string[] {
  const statements: string[] = [];
  let current = '';
  for (const seg of segments(text.replace(/\r\n?/g, '\n'), source)) {
    if (seg.kind === 'comment') {
      current += seg.text.startsWith('--') ? '' : ' ';
      continue;
    }
    if (seg.kind !== 'code') {
      current += seg.text;
      continue;
    }
    const parts = seg.text.split(';');
    parts.forEach((part, idx) => {
      current += part;
      if (idx < parts.length - 1) {
        statements.push(current);
        current = '';
      }
    });
  }
  statements.push(current);
  return statements.map(tidy).filter((s) => s.length > 0);
}

function tidy(statement: string): string {
  return statement
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line, i, lines) => line !== '' || (i > 0 && lines[i - 1] !== ''))
    .join('\n')
    .trim();
}

/** The leading `--` comment block of a file, without the dashes: its documentation. */
export function headerComment(text: string): string {
  const lines: string[] = [];
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    const m = /^\s*--\s?(.*)$/.exec(line);
    if (!m) break;
    lines.push(m[1]!.trimEnd());
  }
  return lines.join('\n').trim();
}

/** A `{{name}}` or `{{name:Type}}` placeholder found in the code of a statement. */
export interface Placeholder {
  name: string;
  type: string | undefined;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?::\s*([A-Za-z0-9_() ,]+?)\s*)?\}\}/g;

/** Every placeholder in the code of `text` (not in literals or comments), in order of appearance. */
export function findPlaceholders(text: string, source = 'SQL'): Placeholder[] {
  const found: Placeholder[] = [];
  for (const seg of segments(text, source)) {
    if (seg.kind !== 'code') continue;
    for (const m of seg.text.matchAll(PLACEHOLDER)) found.push({ name: m[1]!, type: m[2] });
  }
  return found;
}

/**
 * Replaces `{{name}}` / `{{name:Type}}` placeholders in the code of a
 * statement (never inside literals or comments) with what `render` returns
 * for each. `render` does the escaping.
 */
export function renderPlaceholders(
  text: string,
  render: (placeholder: Placeholder) => string,
  source = 'SQL',
): string {
  return segments(text, source)
    .map((seg) => {
      if (seg.kind !== 'code') return seg.text;
      const stripped = seg.text.replace(PLACEHOLDER, '');
      const leftover = /\{\{|\}\}/.exec(stripped);
      if (leftover) {
        const near = stripped.slice(Math.max(0, leftover.index - 20), leftover.index + 40).trim();
        throw new SqlScriptError(`${source}: malformed placeholder near ${JSON.stringify(near)}`);
      }
      return seg.text.replace(PLACEHOLDER, (_m, name: string, type?: string) =>
        render({ name, type }),
      );
    })
    .join('');
}

/** Renders `{{database}}` as a validated, back-quoted identifier; any other placeholder is an error. */
export function renderDatabase(text: string, database: string, source = 'SQL'): string {
  return renderPlaceholders(
    text,
    (p) => {
      if (p.name === 'database' && p.type === undefined) return sqlIdentifier(database);
      throw new SqlScriptError(
        `${source}: unknown placeholder {{${p.name}${p.type ? `:${p.type}` : ''}}} (only {{database}} is available here)`,
      );
    },
    source,
  );
}
