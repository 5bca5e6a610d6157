import type { z } from 'zod';
import {
  routeSchema,
  upstreamRuleProblems,
  upstreamSchema,
  type RouteSpec,
  type UpstreamSpec,
} from '../gateway/gateway-config';

/** Canonical JSON (sorted keys): what decides that an entry is unchanged. */
export { canonicalJson } from '@llmops/control-plane';

/** A field of an entry that is wrong, by its path in the entry (`timeouts.connect_ms`). */
export interface EntryProblem {
  path: string;
  message: string;
}

export type Parsed<S> = { ok: true; spec: S } | { ok: false; problems: EntryProblem[] };

/**
 * An upstream from an API body, checked by the schema GATEWAY_CONFIG_FILE is checked with (and
 * its rules beyond the schema); `name` comes from the path, and a body's own must agree.
 */
export function parseUpstream(name: string, body: Record<string, unknown>): Parsed<UpstreamSpec> {
  const mismatch = nameMismatch('name', name, body);
  if (mismatch) return mismatch;
  const parsed = parse(upstreamSchema, { ...body, name }, 'upstream');
  if (!parsed.ok) return parsed;
  const problems = upstreamRuleProblems(parsed.spec);
  return problems.length > 0 ? { ok: false, problems } : parsed;
}

/** A route from an API body, checked by the file's route schema; `model` comes from the path. */
export function parseRoute(model: string, body: Record<string, unknown>): Parsed<RouteSpec> {
  return nameMismatch('model', model, body) ?? parse(routeSchema, { ...body, model }, 'route');
}

/** A stored spec, read back through the same schema (throws when it does not pass). */
export function readSpec(kind: 'upstream' | 'route', json: string): UpstreamSpec | RouteSpec {
  const value: unknown = JSON.parse(json);
  return kind === 'upstream' ? upstreamSchema.parse(value) : routeSchema.parse(value);
}

function nameMismatch(
  field: 'name' | 'model',
  fromPath: string,
  body: Record<string, unknown>,
): { ok: false; problems: EntryProblem[] } | undefined {
  if (body[field] === undefined || body[field] === fromPath) return undefined;
  return {
    ok: false,
    problems: [{ path: field, message: `must be the ${field} in the path, or left out` }],
  };
}

function parse<S extends z.ZodType>(schema: S, input: unknown, what: string): Parsed<z.infer<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, spec: result.data };
  // zod's messages name what was expected, never the value that was sent: safe to answer.
  const problems = result.error.issues.flatMap((i): EntryProblem[] => {
    const at = i.path.map(String);
    if (i.code === 'unrecognized_keys')
      return i.keys.map((k) => ({
        path: [...at, k].join('.'),
        message: `is not a field of ${what === 'upstream' ? 'an upstream' : 'a route'}`,
      }));
    return [{ path: at.join('.') || '(body)', message: i.message }];
  });
  return { ok: false, problems };
}
