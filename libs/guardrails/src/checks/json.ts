import type { JsonCheck } from '../rule-schema';
import { problem, type CheckInput, type CompileContext, type CompiledCheck } from './check';
import { compileSchema, schemaFailure } from './json-schema';

/**
 * Every segment must be valid JSON and, with `schema`, match it. The detail names the segment
 * and the schema path that failed, never the parser's message (V8 quotes the text there).
 */
export function compileJson(check: JsonCheck, ctx: CompileContext): CompiledCheck | null {
  let validate: ((value: unknown) => string | null) | null = null;
  if (check.schema !== undefined) {
    const compiled = compileSchema(check.schema);
    if (compiled.problems) {
      for (const p of compiled.problems)
        problem(ctx, p.at ? `schema.${p.at}` : 'schema', p.message);
      return null;
    }
    const fn = compiled.validate;
    validate = (value) => (fn(value) ? null : schemaFailure(fn));
  }
  return {
    locates: false,
    run(input: CheckInput) {
      for (const segment of input.segments) {
        let value: unknown;
        try {
          value = JSON.parse(segment.text);
        } catch {
          return { detail: `${segment.name}: not valid JSON` };
        }
        const failure = validate?.(value) ?? null;
        if (failure !== null) return { detail: `${segment.name}: fails the schema at ${failure}` };
      }
      return null;
    },
  };
}
