import { adminApi, changedBy, table } from '../admin-api';
import { parse, UsageError } from '../args';
import type { CliContext } from '../context';

export const routesHelp = `llmops routes set <model> --target UPSTREAM[:MODEL][@WEIGHT] [--target …]
                    [--strategy ordered|weighted]
                   routes what clients call <model> to the targets: tried in the order given
                   (ordered), or shared by weight with the rest as fallbacks (weighted; a target
                   without @WEIGHT weighs 1). MODEL is the upstream's name for it (default <model>)
llmops routes list [--json]
llmops routes remove <model>
                   then the gateway answers <model> with 404 model_not_found`;

export interface RouteTargetArg {
  upstream: string;
  model?: string;
  weight?: number | string;
}

export type RoutesArgs =
  | { sub: 'set'; model: string; body: { targets: RouteTargetArg[] } }
  | { sub: 'list'; json: boolean }
  | { sub: 'remove'; model: string };

/**
 * `UPSTREAM[:MODEL][@WEIGHT]`: upstream names have no `:`, so the first one ends the upstream
 * (model names may hold more: `ollama:llama3.2:1b`); a trailing `@<number>` is the weight.
 */
export function parseTarget(text: string): RouteTargetArg {
  const weighted = /^(.*)@(\d+(?:\.\d+)?)$/.exec(text);
  const target = weighted ? weighted[1]! : text;
  const colon = target.indexOf(':');
  const upstream = colon < 0 ? target : target.slice(0, colon);
  const model = colon < 0 ? undefined : target.slice(colon + 1);
  if (!upstream || model === '')
    throw new UsageError(
      `routes set: --target '${text}' is not UPSTREAM[:MODEL][@WEIGHT] (e.g. ollama:llama3.2:1b@3)`,
    );
  return {
    upstream,
    ...(model !== undefined ? { model } : {}),
    ...(weighted ? { weight: Number(weighted[2]) } : {}),
  };
}

function oneModel(command: string, positionals: string[]): string {
  if (positionals.length !== 1)
    throw new UsageError(`${command}: give one model (see \`llmops routes list\`)`);
  return positionals[0]!;
}

export function parseRoutesArgs(argv: string[]): RoutesArgs {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'set': {
      const { values, positionals } = parse('routes set', rest, {
        target: { type: 'string', multiple: true },
        strategy: { type: 'string' },
      });
      const model = oneModel('routes set', positionals);
      const given = values.target as unknown as string[] | undefined;
      if (!given?.length)
        throw new UsageError('routes set: give at least one --target UPSTREAM[:MODEL][@WEIGHT]');
      let targets = given.map(parseTarget);
      const strategy = values.strategy;
      if (strategy === 'ordered' && targets.some((t) => t.weight !== undefined))
        throw new UsageError('routes set: --strategy ordered takes targets without @WEIGHT');
      else if (strategy === 'weighted') targets = targets.map((t) => ({ weight: 1, ...t }));
      else if (strategy !== undefined && strategy !== 'ordered')
        throw new UsageError(
          `routes set: --strategy must be ordered or weighted (got '${String(strategy)}')`,
        );
      return { sub, model, body: { targets } };
    }
    case 'list': {
      const { values, positionals } = parse('routes list', rest, {
        json: { type: 'boolean', default: false },
      });
      if (positionals.length > 0)
        throw new UsageError(`routes list: unexpected argument '${positionals[0]}'`);
      return { sub, json: values.json === true };
    }
    case 'remove': {
      const { positionals } = parse('routes remove', rest, {});
      return { sub, model: oneModel('routes remove', positionals) };
    }
    default:
      throw new UsageError(`routes: expected set, list or remove\n${routesHelp}`);
  }
}

/** A route as the admin API answers it. */
export interface RouteView {
  model: string;
  targets: RouteTargetArg[];
  revision: number;
  changed_at: string;
  changed_by: {
    source: string;
    key_id: string | null;
    tenant_id: string | null;
    file: string | null;
  };
}

/** A target as `routes set` takes it, so a listed route can be typed back. */
export function targetText(t: RouteTargetArg): string {
  return `${t.upstream}${t.model !== undefined ? `:${t.model}` : ''}${t.weight !== undefined ? `@${t.weight}` : ''}`;
}

export function routesTable(routes: RouteView[]): string[] {
  return table([
    ['MODEL', 'STRATEGY', 'TARGETS', 'REV', 'CHANGED', 'BY'],
    ...routes.map((r) => [
      r.model,
      r.targets.some((t) => t.weight !== undefined) ? 'weighted' : 'ordered',
      r.targets.map(targetText).join(' '),
      String(r.revision),
      r.changed_at,
      changedBy(r.changed_by),
    ]),
  ]);
}

/** Field of a route (as the API names it) → the flag that sets it: `--target #2`. */
function flagOf(path: string): string {
  const t = /^targets\.(\d+)(?:\.(\w+))?$/.exec(path);
  if (t) return `--target #${Number(t[1]) + 1}${t[2] ? ` (${t[2]})` : ''}`;
  return path === 'targets' ? '--target' : path === 'model' ? '<model>' : path;
}

export async function routesCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const args = parseRoutesArgs(argv);
  const api = adminApi(ctx, `routes ${args.sub}`, flagOf);
  switch (args.sub) {
    case 'set': {
      const { status, json } = await api.request(
        'PUT',
        `/v1/admin/routes/${encodeURIComponent(args.model)}`,
        args.body,
      );
      const r = json as RouteView;
      ctx.err(
        `${status === 201 ? 'added' : 'saved'} route ${r.model} (revision ${r.revision}) at ${api.url}`,
      );
      for (const line of routesTable([r])) ctx.out(line);
      return 0;
    }
    case 'list': {
      const body = (await api.request('GET', '/v1/admin/routes')).json as { routes: RouteView[] };
      if (args.json) ctx.out(JSON.stringify(body));
      else if (body.routes.length === 0) ctx.err('no routes');
      else for (const line of routesTable(body.routes)) ctx.out(line);
      return 0;
    }
    case 'remove':
      await api.request('DELETE', `/v1/admin/routes/${encodeURIComponent(args.model)}`);
      ctx.out(`removed route ${args.model}`);
      return 0;
  }
}
