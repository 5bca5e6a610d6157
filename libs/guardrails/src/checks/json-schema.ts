import Ajv, { type Options, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { JsonSchema } from '../rule-schema';
import { regexSafetyProblem } from './regex-safety';

/**
 * JSON Schemas of rules (`json.schema`, `tool_allowlist.arguments_schema`), compiled with ajv
 * when the rules are compiled, never while evaluating. Draft-07 unless the schema's `$schema`
 * names 2020-12 (the default of MCP tool schemas). Unknown keywords are errors (a misspelt
 * `requried` would otherwise check nothing), formats are ajv-formats' (`email`, `uri`,
 * `date-time`…), no schema is fetched (`$ref` must resolve inside the schema) and none is
 * registered by its `$id`, so two rules may reuse one `$id`. A schema's `pattern`s run on
 * model output like a rule's own regex, so they pass the same ReDoS analysis.
 */

const OPTIONS: Options = {
  strictSchema: true,
  strictTypes: false,
  strictTuples: false,
  strictRequired: false,
  allErrors: false,
  addUsedSchema: false,
  logger: false,
};

const draft07 = addFormats(new Ajv(OPTIONS));
const draft2020 = addFormats(new Ajv2020(OPTIONS));

const MAX_CACHED = 1_024;
const cache = new Map<string, ValidateFunction>();

/** A problem of a schema, at a path inside it (`properties.name.pattern`; '' for the schema). */
export interface SchemaProblem {
  readonly at: string;
  readonly message: string;
}

export type SchemaCompilation =
  | { readonly validate: ValidateFunction; readonly problems?: undefined }
  | { readonly validate?: undefined; readonly problems: readonly SchemaProblem[] };

/** Compiles `schema` (cached per process by its JSON text), or says what is wrong with it. */
export function compileSchema(schema: JsonSchema): SchemaCompilation {
  const ajv = pickDraft(schema.$schema);
  if (ajv === null)
    return { problems: [{ at: '$schema', message: 'must be draft-07 or 2020-12 (or absent)' }] };
  const key = `${ajv === draft07 ? '7' : '2020'}:${JSON.stringify(schema)}`;
  const cached = cache.get(key);
  if (cached !== undefined) return { validate: cached };

  const problems: SchemaProblem[] = [];
  checkPatterns(schema, '', problems);
  if (problems.length > 0) return { problems };
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(schema);
  } catch (err) {
    return {
      problems: [{ at: '', message: `is not a valid JSON Schema: ${(err as Error).message}` }],
    };
  }
  if (cache.size < MAX_CACHED) cache.set(key, validate);
  return { validate };
}

function pickDraft(uri: unknown): Ajv | null {
  if (uri === undefined) return draft07;
  if (typeof uri !== 'string') return null;
  if (/json-schema\.org\/draft-07\/schema#?$/.test(uri)) return draft07;
  if (/json-schema\.org\/draft\/2020-12\/schema#?$/.test(uri)) return draft2020;
  return null;
}

/** Keywords whose values are data, not schemas: their `pattern` keys are not patterns. */
const DATA_KEYWORDS = new Set(['const', 'enum', 'default', 'examples']);

function checkPatterns(node: unknown, path: string, problems: SchemaProblem[]): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    node.forEach((item, i) => checkPatterns(item, `${path}[${i}]`, problems));
    return;
  }
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (DATA_KEYWORDS.has(key)) continue;
    const at = path === '' ? key : `${path}.${key}`;
    if (key === 'pattern' && typeof value === 'string') checkPattern(value, at, problems);
    if (key === 'patternProperties' && value !== null && typeof value === 'object')
      for (const p of Object.keys(value)) checkPattern(p, `${at}[${JSON.stringify(p)}]`, problems);
    checkPatterns(value, at, problems);
  }
}

function checkPattern(source: string, at: string, problems: SchemaProblem[]): void {
  try {
    new RegExp(source, 'u');
  } catch {
    problems.push({ at, message: 'is not a valid regular expression' });
    return;
  }
  const unsafe = regexSafetyProblem(source, 'u');
  if (unsafe !== null) problems.push({ at, message: unsafe });
}

/** The first error of the last validation, by the schema's path (never the data's values). */
export function schemaFailure(validate: ValidateFunction): string {
  const error = validate.errors?.[0];
  return error ? `${error.schemaPath} (${error.keyword})` : 'the schema';
}
