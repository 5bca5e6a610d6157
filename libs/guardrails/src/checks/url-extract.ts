/**
 * The links in a text that a client would follow or fetch: plain URLs (`scheme://…` and
 * `www.…`, as chat UIs autolink them), markdown links and images (`[x](…)`, `![x](…)`, which a
 * renderer fetches unasked: the image exfiltration channel), reference definitions
 * (`[x]: …`) and HTML `src` / `href` attributes. Hosts are read with the WHATWG URL parser,
 * as a browser reads them: `https://good.com@evil.com` is evil.com, `%65vil.com` is
 * evil.com, IDNs become punycode, `//evil.com` and `\\evil.com` in a markdown target resolve
 * to evil.com. Relative targets (`/docs`, `#top`) have no host and are not links out.
 * One pass per kind of marker, each linear in the text.
 */

export type UrlKind = 'url' | 'link' | 'image';

export interface FoundUrl {
  readonly kind: UrlKind;
  /** The URL's span in the text (UTF-16 offsets). */
  readonly start: number;
  readonly end: number;
  /** Lower-case ASCII host, without a trailing dot (`[::1]` for IPv6). */
  readonly host: string;
}

/** Where a relative target resolves; a host other than this one is a link out. */
const BASE = 'https://relative.invalid/';
const BASE_HOST = 'relative.invalid';

/** Characters that end a URL in running text. */
const URL_END = /[\s<>"'`]/;
const SCHEME_CHAR = /[A-Za-z0-9+.-]/;
const MAX_SCHEME = 32;
/** How far back from `](` a `[` may be and still make a link (a bound on the look-back). */
const MAX_LABEL = 2_000;
/** An HTML attribute that makes a browser fetch or follow a URL. */
export const HTML_ATTR = /\b(?:src|href)[ \t]{0,8}=[ \t]{0,8}["']?/gi;
export const WWW = /\bwww\./gi;

export function findUrls(text: string): FoundUrl[] {
  const found: FoundUrl[] = [];
  const starts = new Set<number>();
  const add = (kind: UrlKind, start: number, end: number, host: string | null) => {
    if (host === null || starts.has(start)) return;
    starts.add(start);
    found.push({ kind, start, end, host });
  };
  // Each loop resumes after the URL it read, so a marker inside a URL is not read again and
  // every loop stays linear however the markers repeat.
  let open = -1;
  let nextOpen = text.indexOf('[');
  for (let p = text.indexOf('](', 0); p !== -1;) {
    while (nextOpen !== -1 && nextOpen < p) {
      open = nextOpen;
      nextOpen = text.indexOf('[', nextOpen + 1);
    }
    const kind = open > 0 && p - open <= MAX_LABEL && text[open - 1] === '!' ? 'image' : 'link';
    const target = readTarget(text, p + 2);
    if (target) add(kind, target.start, target.end, resolvedHost(target.value));
    p = text.indexOf('](', Math.max(p + 2, target?.end ?? 0));
  }
  for (let p = text.indexOf(']:', 0); p !== -1;) {
    const target = readTarget(text, p + 2);
    if (target) add('link', target.start, target.end, resolvedHost(target.value));
    p = text.indexOf(']:', Math.max(p + 2, target?.end ?? 0));
  }
  HTML_ATTR.lastIndex = 0;
  for (let m = HTML_ATTR.exec(text); m !== null; m = HTML_ATTR.exec(text)) {
    const target = readTarget(text, m.index + m[0].length);
    if (target) {
      add('link', target.start, target.end, resolvedHost(target.value));
      HTML_ATTR.lastIndex = Math.max(HTML_ATTR.lastIndex, target.end);
    }
  }
  for (let p = text.indexOf('://', 0); p !== -1;) {
    let start = p;
    while (start > 0 && p - start < MAX_SCHEME && SCHEME_CHAR.test(text[start - 1]!)) start--;
    while (start < p && !/[A-Za-z]/.test(text[start]!)) start++;
    const end = urlEnd(text, p + 3);
    if (start < p) add('url', start, end, absoluteHost(text.slice(start, end)));
    p = text.indexOf('://', Math.max(p + 3, end));
  }
  WWW.lastIndex = 0;
  for (let m = WWW.exec(text); m !== null; m = WWW.exec(text)) {
    if (m.index > 0 && /[A-Za-z0-9.\-/@]/.test(text[m.index - 1]!)) continue;
    const end = urlEnd(text, m.index);
    if (end > m.index + 4)
      add('url', m.index, end, absoluteHost(`http://${text.slice(m.index, end)}`));
    WWW.lastIndex = Math.max(WWW.lastIndex, end);
  }
  return found.sort((a, b) => a.start - b.start);
}

/** A link target after `](`, `]:` or `src=`: optional blanks, an optional `<`, the URL. */
function readTarget(
  text: string,
  from: number,
): { start: number; end: number; value: string } | null {
  let i = from;
  while (i < text.length && i - from < 16 && (text[i] === ' ' || text[i] === '\t')) i++;
  if (text[i] === '<') i++;
  const start = i;
  while (i < text.length && !/[\s)>"']/.test(text[i]!)) i++;
  return i > start ? { start, end: i, value: text.slice(start, i) } : null;
}

function urlEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length && !URL_END.test(text[i]!)) i++;
  // Punctuation that ends a sentence or a markdown construct is not part of the URL.
  while (i > from && /[.,;:!?)\]*_]/.test(text[i - 1]!)) i--;
  return i;
}

function resolvedHost(target: string): string | null {
  let url: URL;
  try {
    url = new URL(target, BASE);
  } catch {
    return null;
  }
  if (url.hostname === BASE_HOST) return null;
  return cleanHost(url.hostname);
}

function absoluteHost(candidate: string): string | null {
  try {
    return cleanHost(new URL(candidate).hostname);
  } catch {
    // What a lenient renderer might still follow: the authority, less userinfo and port.
    const authority = candidate.slice(candidate.indexOf('://') + 3).split(/[/?#\\]/, 1)[0] ?? '';
    const host = authority.slice(authority.lastIndexOf('@') + 1).replace(/:\d*$/, '');
    return cleanHost(host.toLowerCase());
  }
}

function cleanHost(host: string): string | null {
  const h = host.replace(/\.+$/, '');
  return h === '' ? null : h;
}
