import { adminApi, changedBy, table } from '../admin-api';
import { parse, UsageError } from '../args';
import type { CliContext } from '../context';

export const upstreamsHelp = `llmops upstreams add <name> --base-url URL --format openai|azure-openai|anthropic
                       --endpoint-kind external|internal [--credential-env VAR | --credential-file PATH]
                       [--api-version V] [--provider P] [--connect-timeout-ms N]
                       [--first-byte-timeout-ms N] [--total-timeout-ms N]
                   adds or replaces a gateway upstream, for every ingress replica at once; the
                   credential is only named: each replica reads it from that variable or file
llmops upstreams list [--json]
llmops upstreams remove <name>
                   refused while a route uses it (see \`llmops routes\`)
  these call the ingress's admin API: LLMOPS_URL (default the local ingress) with LLMOPS_API_KEY
  (an admin key; default the dev key of \`npm start\`)`;

/** Field of an upstream (as the API names it) → the flag that sets it. */
const FLAG: Record<string, string> = {
  name: '<name>',
  base_url: '--base-url',
  format: '--format',
  endpoint_kind: '--endpoint-kind',
  credential: '--credential-env or --credential-file',
  'credential.env': '--credential-env',
  'credential.file': '--credential-file',
  api_version: '--api-version',
  provider: '--provider',
  'timeouts.connect_ms': '--connect-timeout-ms',
  'timeouts.first_byte_ms': '--first-byte-timeout-ms',
  'timeouts.total_ms': '--total-timeout-ms',
};

const TIMEOUTS = {
  'connect-timeout-ms': 'connect_ms',
  'first-byte-timeout-ms': 'first_byte_ms',
  'total-timeout-ms': 'total_ms',
} as const;

export type UpstreamsArgs =
  | { sub: 'add'; name: string; body: Record<string, unknown> }
  | { sub: 'list'; json: boolean }
  | { sub: 'remove'; name: string };

function oneName(command: string, positionals: string[]): string {
  if (positionals.length !== 1)
    throw new UsageError(`${command}: give one upstream name (see \`llmops upstreams list\`)`);
  return positionals[0]!;
}

/** A number when the flag's text is one; else the text, for the API to name what is wrong. */
function numberOrText(v: string): number | string {
  return /^\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : v;
}

/** The command line as what to send: the body of `PUT /v1/admin/upstreams/<name>`. */
export function parseUpstreamsArgs(argv: string[]): UpstreamsArgs {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'add': {
      const { values, positionals } = parse('upstreams add', rest, {
        'base-url': { type: 'string' },
        format: { type: 'string' },
        'endpoint-kind': { type: 'string' },
        'credential-env': { type: 'string' },
        'credential-file': { type: 'string' },
        'api-version': { type: 'string' },
        provider: { type: 'string' },
        ...Object.fromEntries(Object.keys(TIMEOUTS).map((k) => [k, { type: 'string' as const }])),
      });
      const name = oneName('upstreams add', positionals);
      const env = values['credential-env'];
      const file = values['credential-file'];
      if (env !== undefined && file !== undefined)
        throw new UsageError('upstreams add: give --credential-env or --credential-file, not both');
      const timeouts = Object.fromEntries(
        Object.entries(TIMEOUTS)
          .filter(([flag]) => typeof values[flag] === 'string')
          .map(([flag, field]) => [field, numberOrText(values[flag] as string)]),
      );
      const optional = (flag: string, field: string) =>
        typeof values[flag] === 'string' ? { [field]: values[flag] } : {};
      return {
        sub,
        name,
        body: {
          ...optional('base-url', 'base_url'),
          ...optional('format', 'format'),
          ...optional('endpoint-kind', 'endpoint_kind'),
          ...optional('api-version', 'api_version'),
          ...optional('provider', 'provider'),
          ...(typeof env === 'string' ? { credential: { env } } : {}),
          ...(typeof file === 'string' ? { credential: { file } } : {}),
          ...(Object.keys(timeouts).length > 0 ? { timeouts } : {}),
        },
      };
    }
    case 'list': {
      const { values, positionals } = parse('upstreams list', rest, {
        json: { type: 'boolean', default: false },
      });
      if (positionals.length > 0)
        throw new UsageError(`upstreams list: unexpected argument '${positionals[0]}'`);
      return { sub, json: values.json === true };
    }
    case 'remove': {
      const { positionals } = parse('upstreams remove', rest, {});
      return { sub, name: oneName('upstreams remove', positionals) };
    }
    default:
      throw new UsageError(`upstreams: expected add, list or remove\n${upstreamsHelp}`);
  }
}

/** An upstream as the admin API answers it. */
export interface UpstreamView {
  name: string;
  base_url: string;
  format: string;
  endpoint_kind: string;
  credential?: { env: string } | { file: string };
  revision: number;
  changed_at: string;
  changed_by: {
    source: string;
    key_id: string | null;
    tenant_id: string | null;
    file: string | null;
  };
}

function credentialOf(u: UpstreamView): string {
  if (!u.credential) return 'none';
  return 'env' in u.credential ? `env ${u.credential.env}` : `file ${u.credential.file}`;
}

/** The upstreams as an aligned table with a heading. */
export function upstreamsTable(upstreams: UpstreamView[]): string[] {
  return table([
    ['NAME', 'FORMAT', 'ENDPOINT', 'BASE URL', 'CREDENTIAL', 'REV', 'CHANGED', 'BY'],
    ...upstreams.map((u) => [
      u.name,
      u.format,
      u.endpoint_kind,
      u.base_url,
      credentialOf(u),
      String(u.revision),
      u.changed_at,
      changedBy(u.changed_by),
    ]),
  ]);
}

export async function upstreamsCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const args = parseUpstreamsArgs(argv);
  const api = adminApi(ctx, `upstreams ${args.sub}`, (p) => FLAG[p] ?? p);
  switch (args.sub) {
    case 'add': {
      const { status, json } = await api.request(
        'PUT',
        `/v1/admin/upstreams/${encodeURIComponent(args.name)}`,
        args.body,
      );
      const u = json as UpstreamView;
      ctx.err(
        `${status === 201 ? 'added' : 'saved'} upstream ${u.name} (revision ${u.revision}) at ${api.url}`,
      );
      for (const line of upstreamsTable([u])) ctx.out(line);
      return 0;
    }
    case 'list': {
      const body = (await api.request('GET', '/v1/admin/upstreams')).json as {
        upstreams: UpstreamView[];
      };
      if (args.json) ctx.out(JSON.stringify(body));
      else if (body.upstreams.length === 0) ctx.err('no upstreams');
      else for (const line of upstreamsTable(body.upstreams)) ctx.out(line);
      return 0;
    }
    case 'remove':
      await api.request('DELETE', `/v1/admin/upstreams/${encodeURIComponent(args.name)}`);
      ctx.out(`removed upstream ${args.name}`);
      return 0;
  }
}
