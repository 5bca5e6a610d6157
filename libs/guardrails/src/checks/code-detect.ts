import type { CodeLanguage } from '../rule-schema';
import { SENTENCE, SIGNALS, WORDS } from './code-signals';

/**
 * Where a text holds source code, and in which languages, without a parser: fenced blocks
 * (CommonMark ``` and ~~~ fences; the info string names the language), then line heuristics
 * for the rest (indented blocks included). Each line gets a score from signals that prose
 * rarely has: how it ends (`{`, a lone `}`, `;` after code punctuation), keywords in the places
 * code puts them (`def name(…):`, `function name(`, `#include <`, `SELECT … FROM`, `$ git …`),
 * operators (`=>`, `===`, `&&`), calls (`name(arg)`, `obj.method(`), tags. Sentences (several
 * words, a capital, a full stop, no braces) score below zero. A run of lines is code when it
 * has two code lines worth 4 together, or one line worth 3 (one `SELECT * FROM t WHERE …` is
 * code; one sentence that ends with a semicolon is not).
 *
 * Every pattern is anchored or starts with a literal and has bounded repetitions, and each
 * sees at most the first MAX_LINE characters of a line, so the cost is linear in the text.
 */

export interface CodeBlock {
  /** UTF-16 offsets of the block (fences included), from its first line start to its last line end. */
  readonly start: number;
  readonly end: number;
  readonly fenced: boolean;
  /** The languages it is in: the fence's, or those whose signals its lines showed (may be empty). */
  readonly languages: ReadonlySet<CodeLanguage>;
}

/** Fence infos that are not code: a fenced block of prose or program output. */
const PROSE_FENCES = new Set('text txt plaintext plain markdown md output log'.split(' '));

/** The fence infos (lower-cased) that name each language. */
const FENCE_NAMES: Readonly<Record<CodeLanguage, string>> = {
  python: 'py python python3 py3 ipython pycon',
  javascript: 'js javascript jsx ts typescript tsx mjs cjs node',
  java: 'java kotlin kt scala',
  c: 'c h cpp c++ cc cxx hpp objc objective-c',
  csharp: 'cs csharp c#',
  go: 'go golang',
  rust: 'rs rust',
  php: 'php',
  ruby: 'rb ruby',
  sql: 'sql mysql postgres postgresql psql pgsql sqlite plsql tsql',
  shell: 'sh bash zsh fish shell console terminal shellsession powershell pwsh ps1 bat cmd batch',
  html: 'html htm xhtml xml svg vue',
  css: 'css scss sass less',
};
const ALIASES = new Map<string, CodeLanguage>(
  Object.entries(FENCE_NAMES).flatMap(([lang, names]) =>
    names.split(' ').map((n): [string, CodeLanguage] => [n, lang as CodeLanguage]),
  ),
);

/** Signals see at most this much of a line. */
const MAX_LINE = 1_000;

interface Line {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

const HAS_FORMAT = /\p{Cf}/u;
const FORMAT = /\p{Cf}/gu;

function linesOf(text: string): Line[] {
  const lines: Line[] = [];
  for (let start = 0; start <= text.length;) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const cr = end > start && text.charCodeAt(end - 1) === 13 ? 1 : 0;
    const raw = text.slice(start, Math.min(end - cr, start + MAX_LINE));
    // Signals read the line without format characters (`SEL\u200BECT` is SELECT to a model).
    lines.push({
      start,
      end: end - cr,
      text: HAS_FORMAT.test(raw) ? raw.replace(FORMAT, '') : raw,
    });
    start = end + 1;
  }
  return lines;
}

const FENCE_OPEN = /^ {0,3}(`{3,40}|~{3,40}) ?([^`\s]{0,40})/;

/** Every code block of `text`, in order. */
export function findCode(text: string): CodeBlock[] {
  const lines = linesOf(text);
  const blocks: CodeBlock[] = [];
  const loose: Line[] = [];
  const flush = () => {
    blocks.push(...looseCode(loose));
    loose.length = 0;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const open = FENCE_OPEN.exec(line.text);
    // A backtick fence's info string has no backtick: "```x``` y" is inline code in a line.
    if (open === null || (open[1]![0] === '`' && line.text.includes('`', open[0].length))) {
      loose.push(line);
      continue;
    }
    const fence = open[1]!;
    const info = open[2]!.toLowerCase();
    let close = i + 1;
    while (close < lines.length && !closes(lines[close]!.text, fence)) close++;
    const body = lines.slice(i + 1, close);
    const last = lines[Math.min(close, lines.length - 1)]!;
    if (PROSE_FENCES.has(info)) {
      // Prose in a fence: its lines are judged as any others are.
      loose.push(...body);
    } else {
      flush();
      const named = ALIASES.get(info);
      const languages = new Set<CodeLanguage>(named ? [named] : []);
      if (!named)
        for (const l of body) for (const lang of scoreLine(l.text).langs) languages.add(lang);
      blocks.push({ start: line.start, end: last.end, fenced: true, languages });
    }
    i = close;
  }
  flush();
  return blocks;
}

function closes(line: string, fence: string): boolean {
  const t = line.trim();
  if (t.length < fence.length || line.length - line.trimStart().length > 3) return false;
  for (let k = 0; k < t.length; k++) if (t[k] !== fence[0]) return false;
  return true;
}

interface LineScore {
  readonly score: number;
  readonly langs: ReadonlySet<CodeLanguage>;
}

const NONE: ReadonlySet<CodeLanguage> = new Set();

export function scoreLine(line: string): LineScore {
  if (line.trim() === '') return { score: 0, langs: NONE };
  if (SENTENCE.test(line) && (line.match(WORDS)?.length ?? 0) >= 5)
    return { score: -2, langs: NONE };
  let score = 0;
  let langs: Set<CodeLanguage> | undefined;
  for (const s of SIGNALS) {
    if (!(s.re ? s.re.test(line) : s.test!(line))) continue;
    score += s.score;
    if (s.langs) for (const l of s.langs) (langs ??= new Set()).add(l);
  }
  return { score: Math.min(score, 3), langs: langs ?? NONE };
}

/**
 * The code among lines outside fences: runs of lines that score 1 or more, through blank lines
 * and through one line that scores 0 between two that score (a comment, a lone keyword); a line
 * that reads as a sentence ends the run.
 */
function looseCode(lines: readonly Line[]): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  let run: {
    first: Line;
    last: Line;
    sum: number;
    count: number;
    max: number;
    langs: Set<CodeLanguage>;
  } | null = null;
  let gap = 0;
  const end = () => {
    if (run && ((run.count >= 2 && run.sum >= 4) || run.max >= 3))
      blocks.push({
        start: run.first.start,
        end: run.last.end,
        fenced: false,
        languages: run.langs,
      });
    run = null;
    gap = 0;
  };
  for (const line of lines) {
    if (line.text.trim() === '') continue;
    const { score, langs } = scoreLine(line.text);
    if (score < 0) {
      end();
      continue;
    }
    if (score === 0) {
      if (run && ++gap > 1) end();
      continue;
    }
    gap = 0;
    run ??= { first: line, last: line, sum: 0, count: 0, max: 0, langs: new Set() };
    run.last = line;
    run.sum += score;
    run.count++;
    run.max = Math.max(run.max, score);
    for (const l of langs) run.langs.add(l);
  }
  end();
  return blocks;
}
