import {
  EndpointKindSymbols,
  GuardrailActionSymbols,
  GuardrailStageSymbols,
  type GuardrailSeverity,
} from '@llmops/contracts';
import { z } from 'zod';

/**
 * The rule model: one zod schema for a rules file (`{ rules: [...] }`, YAML or JSON). Objects
 * are strict, so a misspelt field (`patern:`) is an error rather than a rule that silently
 * checks nothing. Stage, action and severity are the symbols of the invocation record's
 * `GuardrailDecision` (schemas/invocation.v3.avsc), so a decision goes on the record unchanged.
 * What zod cannot see (whether a pattern is safe, whether a JSON Schema compiles, whether a
 * check fits the stage) is checked when the rules are compiled (compile-rules.ts).
 */

/** A rule's severity: the record's symbols less `unknown`, which is for readers of old data. */
export const RULE_SEVERITIES = [
  'info',
  'low',
  'medium',
  'high',
  'critical',
] as const satisfies readonly GuardrailSeverity[];

const RULE_ID = /^[A-Za-z0-9._-]{1,64}$/;
const REGEX_FLAGS = /^[imsu]*$/;

/** A JSON Schema (draft-07, or 2020-12 when its `$schema` says so). */
export type JsonSchema = { [key: string]: unknown };
const jsonSchema = z.record(z.string(), z.unknown()) as z.ZodType<JsonSchema>;

const name = z.string().min(1).max(128);
const names = z.array(name).min(1, 'must list at least one name');

export interface RegexCheck {
  type: 'regex';
  pattern: string;
  /** `i`, `m`, `s`, `u`; `g` and `y` are refused (stateful), `v` too (recheck cannot analyse it). */
  flags?: string;
  /** `not_match`: the text must not match (violated on a match); `match`: it must. */
  must: 'match' | 'not_match';
  /** Names the pattern in decisions' `detail` (default: the pattern itself, shortened). */
  name?: string;
}
export interface PhrasesCheck {
  type: 'phrases';
  phrases: string[];
}
export interface LengthCheck {
  type: 'length';
  unit: 'chars' | 'words' | 'tokens';
  min?: number;
  max?: number;
}
export interface JsonCheck {
  type: 'json';
  schema?: JsonSchema;
}
export interface UrlsCheck {
  type: 'urls';
  allow_domains?: string[];
  deny_domains?: string[];
}
export interface ToolAllowlistCheck {
  type: 'tool_allowlist';
  tools?: string[];
  by_agent?: Record<string, string[]>;
  arguments_schema?: Record<string, JsonSchema>;
}
export interface AllCheck {
  type: 'all';
  checks: Check[];
}
export interface AnyCheck {
  type: 'any';
  checks: Check[];
}
export interface NotCheck {
  type: 'not';
  check: Check;
}
export type Check =
  | RegexCheck
  | PhrasesCheck
  | LengthCheck
  | JsonCheck
  | UrlsCheck
  | ToolAllowlistCheck
  | AllCheck
  | AnyCheck
  | NotCheck;
export type CheckType = Check['type'];

const regexCheck = z
  .strictObject({
    type: z.literal('regex'),
    pattern: z.string().min(1).max(4096),
    flags: z
      .string()
      .regex(
        REGEX_FLAGS,
        'may hold only i, m, s and u (g and y make a regular expression stateful; the ReDoS analysis does not know v)',
      )
      .optional(),
    must: z.enum(['match', 'not_match']),
    name: name.optional(),
  })
  .superRefine((check, ctx) => {
    try {
      new RegExp(check.pattern, check.flags ?? '');
    } catch {
      ctx.addIssue({
        code: 'custom',
        path: ['pattern'],
        message: 'is not a valid regular expression',
      });
    }
  });

const phrasesCheck = z.strictObject({
  type: z.literal('phrases'),
  phrases: z.array(z.string().min(1).max(256)).min(1).max(10_000),
});

const count = z.number().int().min(0);
const lengthCheck = z
  .strictObject({
    type: z.literal('length'),
    unit: z.enum(['chars', 'words', 'tokens']),
    min: count.optional(),
    max: count.optional(),
  })
  .superRefine((check, ctx) => {
    if (check.min === undefined && check.max === undefined)
      ctx.addIssue({ code: 'custom', message: 'needs min, max or both' });
    if (check.min !== undefined && check.max !== undefined && check.min > check.max)
      ctx.addIssue({ code: 'custom', path: ['min'], message: 'is greater than max' });
  });

const jsonCheck = z.strictObject({ type: z.literal('json'), schema: jsonSchema.optional() });

const urlsCheck = z
  .strictObject({
    type: z.literal('urls'),
    allow_domains: z.array(z.string().min(1).max(253)).optional(),
    deny_domains: z.array(z.string().min(1).max(253)).optional(),
  })
  .superRefine((check, ctx) => {
    if (check.allow_domains === undefined && check.deny_domains === undefined)
      ctx.addIssue({ code: 'custom', message: 'needs allow_domains, deny_domains or both' });
  });

const toolAllowlistCheck = z
  .strictObject({
    type: z.literal('tool_allowlist'),
    tools: z.array(name).optional(),
    by_agent: z.record(z.string().min(1), z.array(name)).optional(),
    arguments_schema: z.record(name, jsonSchema).optional(),
  })
  .superRefine((check, ctx) => {
    if (check.tools === undefined && check.by_agent === undefined)
      ctx.addIssue({ code: 'custom', message: 'needs tools, by_agent or both' });
  });

export const checkSchema: z.ZodType<Check> = z.lazy(() =>
  z.discriminatedUnion('type', [
    regexCheck,
    phrasesCheck,
    lengthCheck,
    jsonCheck,
    urlsCheck,
    toolAllowlistCheck,
    z.strictObject({ type: z.literal('all'), checks: z.array(checkSchema).min(1) }),
    z.strictObject({ type: z.literal('any'), checks: z.array(checkSchema).min(1) }),
    z.strictObject({ type: z.literal('not'), check: checkSchema }),
  ]),
);

const models = names.superRefine((list, ctx) => {
  list.forEach((model, i) => {
    if (model.slice(0, -1).includes('*'))
      ctx.addIssue({ code: 'custom', path: [i], message: 'may hold * only at its end (a prefix)' });
  });
});

export const scopeSchema = z.strictObject({
  tenant: z.string().min(1).optional(),
  apps: names.optional(),
  agents: names.optional(),
  /** Model names; a trailing `*` makes a prefix (`gpt-4o*`). */
  models: models.optional(),
  endpoint_kind: z.enum(EndpointKindSymbols).optional(),
});

export const ruleSchema = z.strictObject({
  id: z.string().regex(RULE_ID, 'must be 1 to 64 characters of A-Z, a-z, 0-9, ".", "_" and "-"'),
  description: z.string().max(2000).optional(),
  stage: z.enum(GuardrailStageSymbols),
  scope: scopeSchema.default({}),
  check: checkSchema,
  action: z.enum(GuardrailActionSymbols),
  severity: z.enum(RULE_SEVERITIES),
  /** @default 50 */
  timeout_ms: z.number().positive().max(60_000).default(50),
  /** @default 'fail_closed' */
  on_error: z.enum(['fail_closed', 'fail_open']).default('fail_closed'),
  /** @default 1 */
  revision: z.number().int().min(1).max(2_147_483_647).default(1),
});

export const rulesFileSchema = z.strictObject({ rules: z.array(ruleSchema) });

/** A validated rule, with its defaults filled in (what `loadRules` returns). */
export type Rule = z.output<typeof ruleSchema>;
/** A rule as written, before defaults (`scope`, `timeout_ms`, `on_error`, `revision`). */
export type RuleInput = z.input<typeof ruleSchema>;
export type RuleScope = z.output<typeof scopeSchema>;
