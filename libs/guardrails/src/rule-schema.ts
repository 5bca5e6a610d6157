import {
  EndpointKindSymbols,
  GuardrailActionSymbols,
  GuardrailStageSymbols,
  type GuardrailSeverity,
} from '@llmops/contracts';
import { PII_TYPES, SECRET_TYPES, type PiiType } from '@llmops/pii';
import { z } from 'zod';
import { INJECTION_KINDS, type InjectionKind } from './checks/injection/signals';

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
/**
 * Tool names in `tool_limits` and `tool_sequence`: exact, `prefix*` (every tool whose name
 * starts so), or `*` (any tool).
 */
export type ToolPattern = string;
export interface ToolLimitsCheck {
  type: 'tool_limits';
  /** Calls of the counted tools in the trace, this one included, at most. */
  max_per_trace?: number;
  /** Calls of the counted tools in the session, this one included, at most. */
  max_per_session?: number;
  /** The tools counted. @default every tool */
  tools?: ToolPattern[];
}
export interface ToolSequenceCheck {
  type: 'tool_sequence';
  /** Sequences of tools that must not happen in this order (others may come between). */
  forbidden: ToolPattern[][];
  /** Whose history the earlier calls are looked for in. @default 'trace' */
  within?: 'trace' | 'session';
}
export interface RetrievalSourceCheck {
  type: 'retrieval_source';
  /** Domains (covering their subdomains; `http(s)` sources) and URI prefixes (`s3://b/public/`). */
  allow?: string[];
  deny?: string[];
}
export interface ExpressionCheck {
  type: 'expression';
  /** A CEL expression over the item; the rule is violated when it is true. */
  expression: string;
  /** Names the expression in decisions' `detail` (default: the expression, shortened). */
  name?: string;
}
export interface WebhookCheck {
  type: 'webhook';
  /** https:// (http:// only to a loopback host, for development). */
  url: string;
  /** The environment variable that holds the HMAC-SHA256 key of the signature. */
  secret_env: string;
  /** Attempts after the first on no answer, 5xx or 429, within the rule's timeout_ms. @default 1 */
  retries?: number;
}
export interface PiiCheck {
  type: 'pii';
  /** The entity types that count (`EMAIL`, `AWS_ACCESS_KEY`…). @default every type of @llmops/pii */
  types?: PiiType[];
  /** Only credentials and keys (`SECRET_TYPES`); with `types`, the secrets among them. */
  secrets_only?: boolean;
  /** Findings scoring below this do not count. @default 0.5 (the PII engine's threshold) */
  min_confidence?: number;
}
export interface LanguageCheck {
  type: 'language';
  /** ISO 639-1 codes (`en`, `de`) of the languages a text may be in. */
  allow: string[];
  /** A segment with fewer letters (outside code and links) is not judged. @default 40 */
  min_chars?: number;
  /** The detector's confidence below which a verdict is not trusted. @default 0.5 */
  min_confidence?: number;
  /** Characters of prose judged per segment, from its start (the detector is slow). @default 160 */
  max_chars?: number;
}
/** The languages the `code` check tells apart (fence names such as `py` or `bash` fold into them). */
export const CODE_LANGUAGES = [
  'python',
  'javascript',
  'java',
  'c',
  'csharp',
  'go',
  'rust',
  'php',
  'ruby',
  'sql',
  'shell',
  'html',
  'css',
] as const;
export type CodeLanguage = (typeof CODE_LANGUAGES)[number];
export interface CodeCheck {
  type: 'code';
  /** `absent`: code is a violation; `present`: its absence is. */
  must: 'present' | 'absent';
  /** Only code in these languages counts. @default any code, whatever its language */
  languages?: CodeLanguage[];
}
export interface ModelCheck {
  type: 'model';
  /** The models a call may name; a trailing `*` makes a prefix. */
  allow?: string[];
  /** The models a call may not name (wins over `allow`); a trailing `*` makes a prefix. */
  deny?: string[];
}
export interface MetadataCheck {
  type: 'metadata';
  /** Keys the item's `metadata` must have. */
  required?: string[];
  /** Per key, a regular expression its value must match, or the list of values it may take. */
  values?: Record<string, string | string[]>;
}
export interface LeakageCheck {
  type: 'leakage';
  /** The share of the system prompt's 5-word shingles an answer must repeat to leak it. @default 0.5 */
  min_overlap?: number;
  /** A system prompt of fewer words is compared by its canary only. @default 20 */
  min_prompt_words?: number;
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
/**
 * Prompt injection and jailbreak attempts, by weighted heuristic signals (checks/injection/):
 * violated when a window of text scores at least `threshold`.
 */
export interface InjectionCheck {
  type: 'injection';
  /** The score, in (0, 1], from which a text is an attempt. @default 0.5 */
  threshold?: number;
  /** The kinds of attempt that count. @default every kind */
  kinds?: InjectionKind[];
}
export type Check =
  | RegexCheck
  | PhrasesCheck
  | LengthCheck
  | JsonCheck
  | UrlsCheck
  | ToolAllowlistCheck
  | ToolLimitsCheck
  | ToolSequenceCheck
  | RetrievalSourceCheck
  | ExpressionCheck
  | PiiCheck
  | LanguageCheck
  | CodeCheck
  | ModelCheck
  | MetadataCheck
  | LeakageCheck
  | WebhookCheck
  | InjectionCheck
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

const toolPattern = name.refine((p) => !p.slice(0, -1).includes('*'), {
  message: 'may hold * only at its end (a prefix), or be * alone',
});
const toolLimit = z.number().int().min(1).max(1_000_000);
const toolLimitsCheck = z
  .strictObject({
    type: z.literal('tool_limits'),
    max_per_trace: toolLimit.optional(),
    max_per_session: toolLimit.optional(),
    tools: z.array(toolPattern).min(1).max(1_000).optional(),
  })
  .superRefine((check, ctx) => {
    if (check.max_per_trace === undefined && check.max_per_session === undefined)
      ctx.addIssue({ code: 'custom', message: 'needs max_per_trace, max_per_session or both' });
  });

const toolSequenceCheck = z.strictObject({
  type: z.literal('tool_sequence'),
  forbidden: z
    .array(z.array(toolPattern).min(2, 'must list at least two tools').max(16))
    .min(1)
    .max(1_000),
  within: z.enum(['trace', 'session']).optional(),
});

const sourceEntries = z.array(z.string().min(1).max(2048)).min(1).max(10_000);
const retrievalSourceCheck = z
  .strictObject({
    type: z.literal('retrieval_source'),
    allow: sourceEntries.optional(),
    deny: sourceEntries.optional(),
  })
  .superRefine((check, ctx) => {
    if (check.allow === undefined && check.deny === undefined)
      ctx.addIssue({ code: 'custom', message: 'needs allow, deny or both' });
  });

/** What an expression may be long: the cost bounds of checks/expression-cost.ts assume it. */
export const MAX_EXPRESSION_LENGTH = 4_096;
const expressionCheck = z.strictObject({
  type: z.literal('expression'),
  expression: z.string().min(1).max(MAX_EXPRESSION_LENGTH),
  name: name.optional(),
});

const webhookCheck = z.strictObject({
  type: z.literal('webhook'),
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2048),
  secret_env: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]{0,127}$/, 'must be an environment variable name (A-Z, 0-9, _)'),
  retries: z.number().int().min(0).max(3).optional(),
});

/** Model names for the `model` check, as for a scope: `*` only at the end (a prefix). */
const modelPatterns = names.superRefine((list, ctx) => {
  list.forEach((model, i) => {
    if (model.slice(0, -1).includes('*'))
      ctx.addIssue({ code: 'custom', path: [i], message: 'may hold * only at its end (a prefix)' });
  });
});

const piiCheck = z
  .strictObject({
    type: z.literal('pii'),
    types: z.array(z.enum(PII_TYPES)).min(1).optional(),
    secrets_only: z.boolean().optional(),
    min_confidence: z.number().min(0).max(1).optional(),
  })
  .superRefine((check, ctx) => {
    if (check.secrets_only && check.types && !check.types.some((t) => SECRET_TYPES.includes(t)))
      ctx.addIssue({
        code: 'custom',
        path: ['types'],
        message: 'holds no secret type, so with secrets_only nothing would count',
      });
  });

const languageCheck = z
  .strictObject({
    type: z.literal('language'),
    allow: z
      .array(z.string().regex(/^[a-z]{2}$/, 'must be an ISO 639-1 code in lower case (en, de)'))
      .min(1),
    min_chars: z.number().int().min(1).max(10_000).optional(),
    min_confidence: z.number().min(0).max(1).optional(),
    max_chars: z.number().int().min(20).max(10_000).optional(),
  })
  .superRefine((check, ctx) => {
    // The sample holds at most max_chars characters: more letters than that are never there.
    if ((check.min_chars ?? 40) > (check.max_chars ?? 160))
      ctx.addIssue({
        code: 'custom',
        path: ['min_chars'],
        message: `is more than max_chars (${check.max_chars ?? 160}), so no text would be judged`,
      });
  });

const codeCheck = z.strictObject({
  type: z.literal('code'),
  must: z.enum(['present', 'absent']),
  languages: z.array(z.enum(CODE_LANGUAGES)).min(1).optional(),
});

const modelCheck = z
  .strictObject({
    type: z.literal('model'),
    allow: modelPatterns.optional(),
    deny: modelPatterns.optional(),
  })
  .superRefine((check, ctx) => {
    if (check.allow === undefined && check.deny === undefined)
      ctx.addIssue({ code: 'custom', message: 'needs allow, deny or both' });
  });

const METADATA_KEY = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const metadataKey = z
  .string()
  .regex(METADATA_KEY, 'must be 1 to 64 characters of a-z, 0-9, ".", "_" and "-" (lower case)');
const metadataCheck = z
  .strictObject({
    type: z.literal('metadata'),
    required: z.array(metadataKey).min(1).optional(),
    values: z
      .record(
        metadataKey,
        z.union([z.string().min(1).max(1024), z.array(z.string().max(1024)).min(1)]),
      )
      .optional(),
  })
  .superRefine((check, ctx) => {
    if (check.required === undefined && check.values === undefined)
      ctx.addIssue({ code: 'custom', message: 'needs required, values or both' });
    for (const [key, value] of Object.entries(check.values ?? {})) {
      if (typeof value !== 'string') continue;
      try {
        new RegExp(value, 'u');
      } catch {
        ctx.addIssue({
          code: 'custom',
          path: ['values', key],
          message: 'is not a valid regular expression',
        });
      }
    }
  });

const leakageCheck = z.strictObject({
  type: z.literal('leakage'),
  min_overlap: z.number().gt(0).max(1).optional(),
  min_prompt_words: z.number().int().min(5).max(10_000).optional(),
});

const injectionCheck = z.strictObject({
  type: z.literal('injection'),
  threshold: z.number().gt(0).max(1).optional(),
  kinds: z
    .array(z.enum(INJECTION_KINDS))
    .min(1)
    .refine((kinds) => new Set(kinds).size === kinds.length, 'lists a kind twice')
    .optional(),
});

export const checkSchema: z.ZodType<Check> = z.lazy(() =>
  z.discriminatedUnion('type', [
    regexCheck,
    phrasesCheck,
    lengthCheck,
    jsonCheck,
    urlsCheck,
    toolAllowlistCheck,
    toolLimitsCheck,
    toolSequenceCheck,
    retrievalSourceCheck,
    expressionCheck,
    piiCheck,
    languageCheck,
    codeCheck,
    modelCheck,
    metadataCheck,
    leakageCheck,
    webhookCheck,
    injectionCheck,
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
