import { domainToASCII } from 'node:url';
import type { RetrievalSourceCheck } from '../rule-schema';
import {
  problem,
  shorten,
  type CheckInput,
  type CompileContext,
  type CompiledCheck,
} from './check';
import { covers, lastLabels } from './urls';

/**
 * For stage `retrieval`: where a retrieved document may come from, by its `source`. An entry
 * with `://` is a URI prefix (`s3://bucket/public/`, `kb://hr/`, `https://wiki.acme.example/
 * public/`); any other entry is a domain, which covers its subdomains and matches `http(s)`
 * sources by host. Sources and prefixes are compared as the WHATWG URL parser normalises
 * them, so `s3://bucket/public/../private/x` (or `%2e%2e`) is under `s3://bucket/private/`,
 * not `/public/`, and `https://wiki.acme.example@evil.example/` is evil.example. A prefix that
 * does not end in `/` covers only itself and what follows it after `/`, `?` or `#` (`kb://hr`
 * is not `kb://hr-secret`). Deny wins over allow. A source that is no absolute URI (a bare
 * document id) matches no entry, and an item without `source` cannot be shown allowed: both
 * violate when `allow` is set, and pass a deny list.
 *
 * The detail names the entry that denied, or for a source off the allow list only its
 * scheme, and for `http(s)` its host's last two labels: the rest of a URI can carry the
 * document's data, and details go to the audit record.
 */
export function compileRetrievalSource(
  check: RetrievalSourceCheck,
  ctx: CompileContext,
): CompiledCheck | null {
  if (ctx.stage !== 'retrieval') {
    problem(ctx, null, 'retrieval_source applies only to rules of stage retrieval');
    return null;
  }
  const allow = check.allow && entries(check.allow, 'allow', ctx);
  const deny = check.deny && entries(check.deny, 'deny', ctx);
  if (allow === null || deny === null) return null;

  return {
    locates: false,
    run(input: CheckInput) {
      const raw = input.item?.source;
      if (raw === undefined)
        return allow ? { detail: 'the item has no source, and allow is set' } : null;
      const source = parseSource(raw);
      const denied = deny?.find((e) => e.matches(source));
      if (denied) return { detail: `source denied by ${denied.label}` };
      if (allow && !allow.some((e) => e.matches(source)))
        return { detail: `source ${describe(source)} is not in allow` };
      return null;
    },
  };
}

/** A source as entries compare it: its normalised URI and, for http(s), its host. */
interface Source {
  readonly href: string | null;
  readonly scheme: string | null;
  readonly host: string | null;
}

interface Entry {
  readonly label: string;
  matches(source: Source): boolean;
}

function parseSource(raw: string): Source {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { href: null, scheme: null, host: null };
  }
  const web = url.protocol === 'http:' || url.protocol === 'https:';
  return {
    href: url.href,
    scheme: url.protocol,
    host: web ? url.hostname.replace(/\.+$/, '') : null,
  };
}

function describe(source: Source): string {
  if (source.scheme === null) return '(not a URI)';
  if (source.host !== null) return `${source.scheme}//${lastLabels(source.host)}`;
  return `(${source.scheme})`;
}

function entries(list: string[], field: string, ctx: CompileContext): Entry[] | null {
  let ok = true;
  const out = list.map((raw, i): Entry => {
    const label = `${field}[${i}] (${shorten(raw, 60)})`;
    const entry = raw.includes('://') ? prefixEntry(raw, label) : domainEntry(raw, label);
    if (entry === null) {
      problem(
        ctx,
        `${field}[${i}]`,
        'must be a domain name (acme.example) or a URI prefix (scheme://…)',
      );
      ok = false;
    }
    return entry ?? { label, matches: () => false };
  });
  return ok ? out : null;
}

function prefixEntry(raw: string, label: string): Entry | null {
  let prefix: string;
  try {
    prefix = new URL(raw).href;
  } catch {
    return null;
  }
  // `https://wiki.acme.example` reads as `https://wiki.acme.example/`; a non-special URI
  // keeps its form, and then must end where a path segment, a query or a fragment starts.
  const bounded = prefix.endsWith('/');
  return {
    label,
    matches(source) {
      const href = source.href;
      if (href === null || !href.startsWith(prefix)) return false;
      return bounded || href.length === prefix.length || '/?#'.includes(href[prefix.length]!);
    },
  };
}

function domainEntry(raw: string, label: string): Entry | null {
  const bare = raw.trim().replace(/^\*\./, '').replace(/\.+$/, '');
  const domain = /[/:@?#\s*]/.test(bare) ? '' : domainToASCII(bare);
  if (domain === '') return null;
  return { label, matches: (source) => source.host !== null && covers(domain, source.host) };
}
