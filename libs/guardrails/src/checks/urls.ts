import { domainToASCII } from 'node:url';
import type { UrlsCheck } from '../rule-schema';
import {
  problem,
  type CheckInput,
  type CompileContext,
  type CompiledCheck,
  type Span,
  type Violation,
} from './check';
import { findUrls, type FoundUrl } from './url-extract';

/**
 * Links out of the text (url-extract.ts) against domain lists; a domain covers its
 * subdomains. A host on `deny_domains` violates; with `allow_domains`, so does any host not on
 * it (deny wins over allow). The detail names the list entry that matched, or for a host off
 * the allow list only its last two labels: the leading labels of a host are an exfiltration
 * channel of their own (`<secret>.attacker.example`), and details go to the audit record.
 */
export function compileUrls(check: UrlsCheck, ctx: CompileContext): CompiledCheck | null {
  const allow = check.allow_domains && domains(check.allow_domains, 'allow_domains', ctx);
  const deny = check.deny_domains && domains(check.deny_domains, 'deny_domains', ctx);
  if (allow === null || deny === null) return null;

  const verdict = (url: FoundUrl, segment: string): string | null => {
    const denied = deny?.find((d) => covers(d, url.host));
    if (denied !== undefined) return `${url.kind} to denied domain ${denied} in ${segment}`;
    if (allow !== undefined && !allow.some((d) => covers(d, url.host)))
      return `${url.kind} to ${lastLabels(url.host)}, not in allow_domains, in ${segment}`;
    return null;
  };

  return {
    locates: true,
    run(input: CheckInput, wantSpans: boolean): Violation | null {
      let detail: string | null = null;
      const spans: Span[] = [];
      for (const segment of input.segments) {
        for (const url of findUrls(segment.text)) {
          const why = verdict(url, segment.name);
          if (why === null) continue;
          detail ??= why;
          if (!wantSpans) return { detail };
          spans.push({ segment: segment.name, start: url.start, end: url.end });
        }
      }
      if (detail === null) return null;
      return { detail, spans };
    },
  };
}

/** Whether `host` is `domain` or one of its subdomains (both lower-case ASCII). */
export function covers(domain: string, host: string): boolean {
  return (
    host === domain || (host.endsWith(domain) && host[host.length - domain.length - 1] === '.')
  );
}

/** The host as a detail may show it: its last two labels (`*.attacker.example`), or an IP. */
export function lastLabels(host: string): string {
  if (host.startsWith('[') || /^[\d.]+$/.test(host)) return host;
  const labels = host.split('.');
  return labels.length <= 2 ? host : `*.${labels.slice(-2).join('.')}`;
}

/** The list as hosts compare: lower-case ASCII (punycode), no `*.` and no trailing dot. */
function domains(list: string[], field: string, ctx: CompileContext): string[] | null {
  let ok = true;
  const out = list.map((entry, i) => {
    const bare = entry.trim().replace(/^\*\./, '').replace(/\.+$/, '');
    const ascii = /[/:@?#\s*]/.test(bare) ? '' : domainToASCII(bare);
    if (ascii === '') {
      problem(ctx, `${field}[${i}]`, 'must be a domain name (no scheme, port, path or wildcard)');
      ok = false;
    }
    return ascii;
  });
  return ok ? out : null;
}
