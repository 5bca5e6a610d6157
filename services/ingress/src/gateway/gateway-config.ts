import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '@llmops/config';
import { PII_ACTIONS, type PiiPolicy } from './pii-guard';
import { NO_RATE_LIMITS, type RateLimits } from './rate-limiter';

/**
 * The gateway's upstreams and routes, declared in a YAML (or JSON) file for teams that keep
 * configuration in git (`GATEWAY_CONFIG_FILE`):
 *
 *   upstreams:
 *     - name: local-vllm
 *       base_url: http://127.0.0.1:8000/v1
 *       format: openai            # openai (and compatible servers) | azure-openai | anthropic
 *       endpoint_kind: internal   # external (leaves the organisation) | internal
 *       credential: { env: VLLM_API_KEY }   # or { file: /run/secrets/key }; omit for none
 *       timeouts: { connect_ms: 2000, first_byte_ms: 60000, total_ms: 600000 }
 *   routes:
 *     - model: gpt-4o-mini        # what clients ask for
 *       targets:
 *         - { upstream: local-vllm, model: llama-3.1-8b }   # tried first
 *         - { upstream: openai }                            # then this one
 *
 * With `weight` on the targets, calls are balanced among them by weight instead, and the
 * others are the fallbacks in weighted order.
 *
 *   pii: { external: redact, internal: allow }   # allow | redact | restore | block
 *   tenants:
 *     acme:
 *       pii: { external: block }
 *       models: [gpt-4o-mini, claude-*]           # what the tenant may call (default: every route)
 *       apps: { support-bot: { models: [gpt-4o-mini] } }   # per app, within the tenant's
 *       rate_limits: { requests_per_minute: { key: 600, app: 300, user: 60 }, tokens_per_minute: { app: 200000 } }
 *
 * Credentials are read once at start, from the variable or file named; they are never logged,
 * never put on Kafka and never quoted in an error.
 *
 * The upstreams and routes of the file are applied to the control plane at start (see
 * GatewayControlService), where the admin API changes them too: the schemas below validate an
 * entry wherever it comes from. The PII policies, model allowlists and rate limits stay here.
 */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const credentialSchema = z.union(
  [
    z.strictObject({
      env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'),
    }),
    z.strictObject({ file: z.string().min(1) }),
  ],
  { error: 'must be { env: VARIABLE_NAME } or { file: PATH }: where the key is, never the key' },
);

export const upstreamSchema = z.strictObject({
  name: z.string().regex(NAME, '1-64 letters, digits, . _ -'),
  base_url: z.url({ protocol: /^https?$/ }),
  format: z.enum(['openai', 'azure-openai', 'anthropic']),
  /** Azure OpenAI's `api-version` query parameter; required for that format. */
  api_version: z
    .string()
    .regex(/^[0-9a-z.-]{4,40}$/, 'an Azure OpenAI API version such as 2024-10-21')
    .optional(),
  endpoint_kind: z.enum(['external', 'internal']),
  /** gen_ai.provider.name recorded for calls to it. @default the format's name */
  provider: z.string().min(1).max(64).optional(),
  credential: credentialSchema.optional(),
  timeouts: z
    .strictObject({
      connect_ms: z.int().min(1).max(60_000).default(5_000),
      first_byte_ms: z.int().min(1).max(600_000).default(120_000),
      total_ms: z.int().min(1).max(3_600_000).default(600_000),
    })
    .prefault({}),
});

export const routeSchema = z.strictObject({
  model: z.string().min(1).max(256),
  targets: z
    .array(
      z.strictObject({
        upstream: z.string().regex(NAME),
        /** The model name the upstream knows. @default the requested model */
        model: z.string().min(1).max(256).optional(),
        /** Share of calls for load balancing; without weights the targets are tried in order. */
        weight: z.number().positive().max(1_000).optional(),
      }),
    )
    .min(1),
});

/** An upstream as declared (defaults filled in): an item of the file's `upstreams`. */
export type UpstreamSpec = z.infer<typeof upstreamSchema>;
/** A route as declared: an item of the file's `routes`. */
export type RouteSpec = z.infer<typeof routeSchema>;
/** Where an upstream's credential is read from: `{ env: NAME }` or `{ file: PATH }`. */
export type CredentialSpec = z.infer<typeof credentialSchema>;

/**
 * While Kafka does not take the gateway's records: `refuse` new calls with 503 before any model
 * call (the default: no call without its record in Kafka), or `spool` their records to a local
 * append-only file (GATEWAY_SPOOL_DIR, fsync'd before the client gets the end of its answer)
 * that goes to Kafka once it is back.
 */
export type KafkaDownPolicy = (typeof KAFKA_DOWN_POLICIES)[number];
export const KAFKA_DOWN_POLICIES = ['refuse', 'spool'] as const;

const piiPolicySchema = z
  .strictObject({
    external: z.enum(PII_ACTIONS).default('allow'),
    internal: z.enum(PII_ACTIONS).default('allow'),
  })
  .prefault({});

const perDimension = (max: number) =>
  z
    .strictObject({
      key: z.int().min(1).max(max).optional(),
      app: z.int().min(1).max(max).optional(),
      user: z.int().min(1).max(max).optional(),
    })
    .prefault({});

const rateLimitsSchema = z
  .strictObject({
    /** Requests per minute, per API key, app (x-llmops-app-id) and user. */
    requests_per_minute: perDimension(10_000_000),
    /** Prompt and answer tokens per minute, per API key, app and user. */
    tokens_per_minute: perDimension(10_000_000_000),
  })
  .transform((r): RateLimits => ({ requests: r.requests_per_minute, tokens: r.tokens_per_minute }));

const fileSchema = z.strictObject({
  upstreams: z.array(upstreamSchema).default([]),
  routes: z.array(routeSchema).default([]),
  /** What the gateway does with PII in requests, per endpoint kind (see PiiAction). */
  pii: piiPolicySchema,
  /** Request and token rate limits of every tenant without its own. */
  rate_limits: rateLimitsSchema.optional(),
  /** What the gateway does while Kafka does not take records (see KafkaDownPolicy). */
  when_kafka_down: z.enum(KAFKA_DOWN_POLICIES).default('refuse'),
  /** Per-tenant settings that override the ones above. */
  tenants: z
    .record(
      z.string().min(1),
      z.strictObject({
        pii: piiPolicySchema.optional(),
        rate_limits: rateLimitsSchema.optional(),
        when_kafka_down: z.enum(KAFKA_DOWN_POLICIES).optional(),
        /**
         * Whether the tenant's callers may send their own provider key (`x-llmops-provider-key`),
         * used towards the upstream instead of the gateway's credential.
         */
        accept_caller_keys: z.boolean().default(false),
        /** The models (route names, `*` at the end for a prefix) the tenant may call. */
        models: z.array(z.string().min(1)).min(1).optional(),
        /** Per app (x-llmops-app-id): the models it may call, within the tenant's. */
        apps: z
          .record(z.string().min(1), z.strictObject({ models: z.array(z.string().min(1)).min(1) }))
          .default({}),
      }),
    )
    .default({}),
});

/**
 * The API an upstream speaks: `openai` (and compatible servers), `azure-openai` (the OpenAI APIs
 * on Azure's deployment routes, `api-key` header, `api-version`), or `anthropic` (Messages).
 */
export type UpstreamFormat = 'openai' | 'azure-openai' | 'anthropic';

/** gen_ai.provider.name of each format, in OpenTelemetry's words. */
const PROVIDER: Record<UpstreamFormat, string> = {
  openai: 'openai',
  'azure-openai': 'azure.ai.openai',
  anthropic: 'anthropic',
};

export interface Upstream {
  name: string;
  /**
   * Set when this replica cannot call the upstream (its credential is missing here): why, for
   * the log. Calls to it fail over to the route's other targets.
   */
  unavailable?: string;
  baseUrl: URL;
  format: UpstreamFormat;
  endpointKind: 'external' | 'internal';
  provider: string;
  /** Azure OpenAI's api-version (azure-openai only). */
  apiVersion: string | undefined;
  /** The secret sent upstream (`Authorization: Bearer`; `api-key` to azure-openai, `x-api-key` to anthropic); undefined sends none. */
  credential: string | undefined;
  timeouts: { connectMs: number; firstByteMs: number; totalMs: number };
}

export interface RouteTarget {
  upstream: Upstream;
  model: string;
  /** Undefined: no load balancing, the route's order decides. */
  weight: number | undefined;
}

export interface GatewayRoutes {
  upstreams: Map<string, Upstream>;
  /** Requested model → its targets in order of preference. */
  routes: Map<string, RouteTarget[]>;
  /** The PII policy of a tenant without its own, and those with. */
  pii: { default: PiiPolicy; byTenant: Map<string, PiiPolicy> };
  /** Model allowlists of the tenants that have one; a tenant without may call every route. */
  models: Map<string, { tenant?: string[]; apps: Map<string, string[]> }>;
  /** Request rate limits of a tenant without its own, and those with. */
  rateLimits: { default: RateLimits; byTenant: Map<string, RateLimits> };
  /** The tenants whose callers may send their own provider key. */
  callerKeys: Set<string>;
  /** What a tenant without its own policy does while Kafka is down, and those with. */
  whenKafkaDown: { default: KafkaDownPolicy; byTenant: Map<string, KafkaDownPolicy> };
}

const ALLOW_ALL: PiiPolicy = { external: 'allow', internal: 'allow' };

/** The upstreams and routes a GATEWAY_CONFIG_FILE declares, to be applied to the control plane. */
export interface GatewayDeclared {
  file: string;
  upstreams: UpstreamSpec[];
  routes: RouteSpec[];
}

/** No file: a gateway with no routes, which answers every model with 404 model_not_found. */
export function loadGatewayRoutes(
  file: string | undefined,
  vars: Record<string, string | undefined>,
): GatewayRoutes {
  return loadGatewayFile(file, vars).routes;
}

/**
 * Reads and checks GATEWAY_CONFIG_FILE (credentials included): what it resolves to, and its
 * upstreams and routes as declared. Undefined `declared` without a file.
 */
export function loadGatewayFile(
  file: string | undefined,
  vars: Record<string, string | undefined>,
): { routes: GatewayRoutes; declared: GatewayDeclared | undefined } {
  if (!file)
    return {
      routes: {
        upstreams: new Map(),
        routes: new Map(),
        pii: { default: ALLOW_ALL, byTenant: new Map() },
        models: new Map(),
        rateLimits: { default: NO_RATE_LIMITS, byTenant: new Map() },
        whenKafkaDown: { default: 'refuse', byTenant: new Map() },
        callerKeys: new Set(),
      },
      declared: undefined,
    };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([
      `GATEWAY_CONFIG_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'}); point it at the gateway's YAML file of upstreams and routes`,
    ]);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ConfigError([
      `GATEWAY_CONFIG_FILE: ${file} is not valid YAML: ${(err as Error).message}`,
    ]);
  }
  const parsed = fileSchema.safeParse(doc ?? {});
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map(
        (i) => `GATEWAY_CONFIG_FILE: ${file}: ${i.path.join('.') || '(document)'}: ${i.message}`,
      ),
    );
  }
  return {
    routes: resolve(parsed.data, file, vars),
    declared: { file, upstreams: parsed.data.upstreams, routes: parsed.data.routes },
  };
}

/** What the schema cannot say about an upstream, each problem with the field it concerns. */
export function upstreamRuleProblems(u: UpstreamSpec): Array<{ path: string; message: string }> {
  return u.format === 'azure-openai' && !u.api_version
    ? [{ path: 'api_version', message: 'is required for azure-openai (e.g. 2024-10-21)' }]
    : [];
}

/** The upstream a declaration makes, with the credential read for it (undefined: none). */
export function resolveUpstream(u: UpstreamSpec, credential: string | undefined): Upstream {
  return {
    name: u.name,
    baseUrl: new URL(u.base_url.endsWith('/') ? u.base_url : `${u.base_url}/`),
    format: u.format,
    endpointKind: u.endpoint_kind,
    provider: u.provider ?? PROVIDER[u.format],
    apiVersion: u.api_version,
    credential,
    timeouts: {
      connectMs: u.timeouts.connect_ms,
      firstByteMs: u.timeouts.first_byte_ms,
      totalMs: u.timeouts.total_ms,
    },
  };
}

function resolve(
  doc: z.infer<typeof fileSchema>,
  file: string,
  vars: Record<string, string | undefined>,
): GatewayRoutes {
  const problems: string[] = [];
  const upstreams = new Map<string, Upstream>();
  doc.upstreams.forEach((u, i) => {
    const at = `${file}: upstreams.${i} (${u.name})`;
    if (upstreams.has(u.name)) problems.push(`${at}: the name is used twice`);
    for (const p of upstreamRuleProblems(u)) problems.push(`${at}: ${p.path} ${p.message}`);
    const read = u.credential ? readCredential(u.credential, vars) : undefined;
    if (read && 'problem' in read) problems.push(`${at}: ${read.problem}`);
    upstreams.set(u.name, resolveUpstream(u, read && 'value' in read ? read.value : undefined));
  });
  const routes = new Map<string, RouteTarget[]>();
  doc.routes.forEach((r, i) => {
    const at = `${file}: routes.${i} (${r.model})`;
    if (routes.has(r.model)) problems.push(`${at}: the model has a route already`);
    const targets: RouteTarget[] = [];
    for (const t of r.targets) {
      const upstream = upstreams.get(t.upstream);
      if (!upstream) {
        problems.push(
          `${at}: upstream '${t.upstream}' is not declared (declared: ${[...upstreams.keys()].join(', ') || 'none'})`,
        );
        continue;
      }
      targets.push({ upstream, model: t.model ?? r.model, weight: t.weight });
    }
    routes.set(r.model, targets);
  });
  if (problems.length > 0) throw new ConfigError(problems.map((p) => `GATEWAY_CONFIG_FILE: ${p}`));
  const byTenant = new Map<string, PiiPolicy>();
  const models: GatewayRoutes['models'] = new Map();
  const rates = new Map<string, RateLimits>();
  const kafkaDown = new Map<string, KafkaDownPolicy>();
  const callerKeys = new Set<string>();
  for (const [tenant, t] of Object.entries(doc.tenants)) {
    if (t.accept_caller_keys) callerKeys.add(tenant);
    if (t.when_kafka_down) kafkaDown.set(tenant, t.when_kafka_down);
    if (t.pii) byTenant.set(tenant, t.pii);
    if (t.rate_limits) rates.set(tenant, t.rate_limits);
    if (t.models || Object.keys(t.apps).length > 0)
      models.set(tenant, {
        ...(t.models ? { tenant: t.models } : {}),
        apps: new Map(Object.entries(t.apps).map(([app, a]) => [app, a.models])),
      });
  }
  return {
    upstreams,
    routes,
    pii: { default: doc.pii, byTenant },
    models,
    rateLimits: { default: doc.rate_limits ?? NO_RATE_LIMITS, byTenant: rates },
    whenKafkaDown: { default: doc.when_kafka_down, byTenant: kafkaDown },
    callerKeys,
  };
}

/**
 * A credential read from where it is named, or why it could not be: `problem` names the variable
 * or file (for the log and the file's errors), `detail` says what is wrong without naming it
 * (for an API answer, where the field is named instead). Neither ever holds the value.
 */
export type CredentialRead =
  { value: string } | { field: 'env' | 'file'; problem: string; detail: string };

export function readCredential(
  c: CredentialSpec,
  vars: Record<string, string | undefined>,
): CredentialRead {
  if ('env' in c) {
    const value = vars[c.env];
    return value
      ? { value }
      : {
          field: 'env',
          problem: `credential variable ${c.env} is not set`,
          detail: 'names a variable that is not set on this ingress',
        };
  }
  try {
    const value = readFileSync(c.file, 'utf8').trim();
    return value
      ? { value }
      : {
          field: 'file',
          problem: `credential file ${c.file} is empty`,
          detail: 'names a file that is empty',
        };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return {
      field: 'file',
      problem: `cannot read credential file ${c.file} (${code})`,
      detail: `names a file this ingress cannot read (${code})`,
    };
  }
}
