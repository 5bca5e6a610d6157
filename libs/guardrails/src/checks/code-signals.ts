import type { CodeLanguage } from '../rule-schema';

/**
 * The line signals of code-detect.ts: what makes a line look like code, how much, and of which
 * languages. Patterns are anchored at the line start or begin with a literal, and every
 * repetition is bounded (code.spec.ts checks that), so one costs at most a few thousand steps
 * on a line (a line is cut at 1,000 characters before they see it).
 */

export interface Signal {
  /** A pattern on the line, or (`test`) a function of it where a pattern would backtrack. */
  readonly re?: RegExp;
  readonly test?: (line: string) => boolean;
  readonly score: number;
  readonly langs?: readonly CodeLanguage[];
}

export const SIGNALS: readonly Signal[] = [
  // Python
  {
    re: /^\s{0,40}(?:async )?def \w{1,60} ?\([^)]{0,200}\)[^:]{0,80}:\s{0,20}$/,
    score: 3,
    langs: ['python'],
  },
  { re: /^\s{0,40}class \w{1,60}(?:\([^)]{0,200}\))?:\s{0,20}$/, score: 3, langs: ['python'] },
  { re: /^\s{0,40}from [\w.]{1,100} import [\w*, ()]{1,200}$/, score: 3, langs: ['python'] },
  {
    re: /^\s{0,40}(?:elif|except|finally|try|else)\b[^:\n]{0,200}:\s{0,20}$/,
    score: 2,
    langs: ['python'],
  },
  { re: /^\s{0,40}(?:if|for|while|with) [^:\n]{1,200}:\s{0,20}$/, score: 1, langs: ['python'] },
  { re: /\bself\.\w/, score: 1, langs: ['python'] },
  { re: /\b__(?:name|init|main)__\b/, score: 2, langs: ['python'] },
  { re: /\bprint\(/, score: 1, langs: ['python'] },
  // Imports that several languages share (`import os`, `import java.util.List;`, `import "fmt"`)
  {
    re: /^\s{0,40}import [\w.*]{1,100}(?: as \w{1,60})?(?:, ?[\w.]{1,100}){0,20};?\s{0,20}$/,
    score: 2,
    langs: ['python', 'java'],
  },
  // JavaScript and TypeScript
  {
    re: /^\s{0,40}(?:export )?(?:default )?(?:async )?function\b ?\*? ?[\w$]{0,60} ?\(/,
    score: 3,
    langs: ['javascript'],
  },
  {
    re: /^\s{0,40}(?:const|let|var) [\w${}[\], ]{1,200}(?::[^=]{1,100})?= ?\S/,
    score: 2,
    langs: ['javascript'],
  },
  {
    re: /^\s{0,40}import [^\n]{1,300} from ['"][^'"]{1,200}['"];?\s{0,20}$/,
    score: 3,
    langs: ['javascript'],
  },
  {
    re: /^\s{0,40}export (?:const|default|function|class|interface|type|async|let) /,
    score: 3,
    langs: ['javascript'],
  },
  { re: /\bconsole\.\w{1,20}\(/, score: 2, langs: ['javascript'] },
  { re: /\brequire\(['"]/, score: 2, langs: ['javascript', 'ruby'] },
  { re: /[\w)] ?=> ?[\w({]|===|!==/, score: 1, langs: ['javascript'] },
  // Java, C#, C and C++
  {
    re: /^\s{0,40}(?:public|private|protected|internal)(?: static| final| abstract| override| async){0,4} [\w<>[\],.?]{1,100} \w{1,60} ?\(/,
    score: 3,
    langs: ['java', 'csharp'],
  },
  {
    re: /^\s{0,40}(?:(?:public|private|protected|final|abstract|static) ){0,3}(?:class|interface|enum) \w{1,60}[^{;\n]{0,200}\{/,
    score: 3,
    langs: ['java', 'csharp', 'javascript', 'php'],
  },
  { re: /\bSystem\.out\.print/, score: 2, langs: ['java'] },
  { re: /^\s{0,40}package [\w.]{1,100};\s{0,20}$/, score: 3, langs: ['java'] },
  { re: /^\s{0,40}#include ?[<"]/, score: 3, langs: ['c'] },
  {
    re: /^\s{0,40}(?:static |inline |extern |const |unsigned |signed )?(?:int|void|char|float|double|long|short|bool|size_t|auto) \*{0,3}\w{1,60} ?\([^)]{0,200}\)\s{0,20}\{?\s{0,20}$/,
    score: 3,
    langs: ['c', 'java', 'csharp'],
  },
  { re: /\b(?:std::|printf ?\(|malloc ?\(|->\w)/, score: 2, langs: ['c'] },
  { re: /^\s{0,40}using System[\w.]{0,100};/, score: 3, langs: ['csharp'] },
  { re: /\bConsole\.Write/, score: 2, langs: ['csharp'] },
  // Go and Rust
  { re: /^\s{0,40}package \w{1,60}\s{0,20}$/, score: 2, langs: ['go'] },
  { re: /^\s{0,40}func (?:\([^)]{0,100}\) ?)?\w{1,60} ?\(/, score: 3, langs: ['go'] },
  { re: /\bfmt\.\w{1,20}\(|\w := /, score: 1, langs: ['go'] },
  { re: /^\s{0,40}(?:pub(?:\(crate\))? )?(?:async )?fn \w{1,60} ?[<(]/, score: 3, langs: ['rust'] },
  { re: /\blet mut \w|\bprintln!\(|^\s{0,40}impl[ <]/, score: 2, langs: ['rust'] },
  { re: /^\s{0,40}use [\w:]{1,100}(?:::\{[^}]{0,200}\})?;\s{0,20}$/, score: 3, langs: ['rust'] },
  // PHP and Ruby
  { re: /<\?php\b/, score: 3, langs: ['php'] },
  {
    re: /^\s{0,40}\$\w{1,60} ?(?:\[[^\]]{0,60}\])? ?\.?= ?[^;]{0,300};\s{0,20}$/,
    score: 2,
    langs: ['php'],
  },
  { re: /^\s{0,40}(?:def|module) \w{1,60}(?:[ (][^:\n]{0,200})?$/, score: 1, langs: ['ruby'] },
  { re: /^\s{0,40}end\s{0,20}$/, score: 2, langs: ['ruby'] },
  { re: /^\s{0,40}(?:puts|require|require_relative) ['"]/, score: 2, langs: ['ruby'] },
  // SQL, in capitals (as it is written); in lower case only with a shape prose lacks
  {
    re: /\bSELECT (?:DISTINCT |TOP \d{1,6} )?(?:\*|[\w.()*]{1,60}(?: AS \w{1,60})?(?:, ?[\w.()*]{1,60}(?: AS \w{1,60})?){0,30}) FROM [\w.`"[\]]{1,100}/,
    score: 3,
    langs: ['sql'],
  },
  {
    re: /\bselect (?:\*|\w{1,60}, ?[\w, ]{1,200}) from \w{1,60}(?: where \w| limit \d|;)/,
    score: 3,
    langs: ['sql'],
  },
  {
    re: /\b(?:INSERT INTO|DELETE FROM|UPDATE [\w.`"]{1,100} SET|CREATE (?:TABLE|INDEX|VIEW|DATABASE|SCHEMA)|DROP (?:TABLE|DATABASE|INDEX|VIEW|SCHEMA)|ALTER TABLE|TRUNCATE TABLE|GRANT \w{1,20} ON) [\w.`"([]/,
    score: 3,
    langs: ['sql'],
  },
  {
    re: /\b(?:WHERE|AND|OR) [\w.]{1,60} ?(?:=|<>|!=|>=|<=|LIKE|IN \(|IS NULL|IS NOT NULL)/,
    score: 1,
    langs: ['sql'],
  },
  // Shells and terminal sessions
  { re: /^\s{0,40}#!\/\S/, score: 3, langs: ['shell'] },
  {
    re: /^\s{0,40}(?:\$|%|PS [A-Z]:\\[^>]{0,200}>|C:\\[^>]{0,200}>) ?[a-z.][\w.-]{0,40}(?: |$)/,
    score: 2,
    langs: ['shell'],
  },
  {
    re: /^\s{0,40}(?:\$ )?(?:sudo|apt|apt-get|yum|dnf|brew|npm|npx|yarn|pnpm|pip|pip3|git|docker|kubectl|helm|curl|wget|chmod|chown|rm|mv|cp|mkdir|cd|ls|cat|grep|sed|awk|echo|export|ssh|scp|tar|make|systemctl|python|python3|node|go|cargo) (?:-{1,2}[\w-]|[\w./~$"'@:=-]{1,200}(?: |$))/,
    score: 1,
    langs: ['shell'],
  },
  {
    re: / (?:\|\| |&& |\| ?(?:grep|sed|awk|xargs|sort|head|tail|wc|tee|jq)\b|2>&1|>> ?\/)/,
    score: 1,
    langs: ['shell'],
  },
  // HTML and XML, CSS
  { re: /<(?:!DOCTYPE|script|style|iframe|svg|html|head|body)\b/i, score: 3, langs: ['html'] },
  { re: /<\/[a-zA-Z][\w-]{0,40}>/, score: 1, langs: ['html'] },
  {
    re: /<[a-zA-Z][\w-]{0,40} [\w:-]{1,60}=(?:"[^"]{0,300}"|'[^']{0,300}')/,
    score: 2,
    langs: ['html'],
  },
  {
    re: /^\s{0,40}(?:[.#@][\w-]{1,60}|[a-z]{1,10}[.#:][\w-]{1,60}|(?:body|html|div|span|a|p|ul|ol|li|h[1-6]|table|td|tr|img|button|input|form|nav|header|footer|section|main)\b)[^{};\n]{0,200}\{/,
    score: 1,
    langs: ['css'],
  },
  { re: /^\s{0,40}[a-z-]{1,40} ?: ?[^;:{}]{1,200};\s{0,20}$/, score: 1, langs: ['css'] },
  // Any language with braces and semicolons
  { re: /\{\s{0,20}$/, score: 2 },
  { re: /^\s{0,40}[)\]}]{1,6}[;,)]{0,3}\s{0,20}$/, score: 2 },
  // `;` at the end counts after code punctuation (`f(x);`, `x = 1;`), not after plain words
  { test: endsWithCodeSemicolon, score: 1 },
  { re: /^\s{0,40}(?:\/\/|\/\*|\*\/)/, score: 1 },
  { re: /^\s{0,40}(?:return|break|continue|yield|throw|raise)\b[^\n]{0,300};?\s{0,20}$/, score: 1 },
  { re: /[\w)\]] ?(?:==|!=|&&|\|\||\+=|-=|\*=|<<|>>|::|->) ?[\w(!'"-]/, score: 1 },
  { re: /[\w\]]\.\w{1,60}\(|\b\w{1,60}\([\w'"., ]{0,80}\)(?:;|\s{0,20}$)/, score: 1 },
  // An indented line (a Markdown code block) with code punctuation
  { re: /^(?: {4}|\t)[^\n]{0,1000}(?:[{};=]|\w\()/, score: 1 },
];

/** `f(x);`, `x = 1;`, `'a';`: a final `;` after code punctuation, not after plain words. */
function endsWithCodeSemicolon(line: string): boolean {
  const t = line.trimEnd();
  if (!t.endsWith(';')) return false;
  for (let i = 0; i < t.length - 1; i++) if ('()=[]"\''.includes(t[i]!)) return true;
  return false;
}

/** Sentence-shaped lines: words, a capital first, a full stop last, no code punctuation. */
export const SENTENCE = /^\s{0,10}(?:[-*>] |\d{1,3}\. )?[A-Z][^{}<>=;$]{20,1000}[.!?:"')]$/;
export const WORDS = /[A-Za-z\u00C0-\u024F]{2,}/g;
