import type { MetadataCheck } from '../rule-schema';
import {
  problem,
  type CheckInput,
  type CompileContext,
  type CompiledCheck,
  type Violation,
} from './check';
import { regexSafetyProblem } from './regex-safety';

/**
 * The call's labels (`item.metadata`, which the gateway fills from `x-llmops-*` headers and the
 * key's labels): every `required` key must be there, and a key with an entry in `values` must,
 * when present, have a value its pattern matches (patterns are unanchored, as `regex` is: write
 * `^…$` for the whole value) or one of its listed values. An empty value counts as missing. The
 * detail names the key, never its value (a label may carry a user id or a ticket text).
 */
export function compileMetadata(check: MetadataCheck, ctx: CompileContext): CompiledCheck | null {
  const required = check.required ?? [];
  const tests: { key: string; ok: (value: string) => boolean }[] = [];
  let valid = true;
  for (const [key, rule] of Object.entries(check.values ?? {})) {
    if (Array.isArray(rule)) {
      const allowed = new Set(rule);
      tests.push({ key, ok: (v) => allowed.has(v) });
      continue;
    }
    let re: RegExp;
    try {
      re = new RegExp(rule, 'u');
    } catch {
      problem(ctx, `values[${JSON.stringify(key)}]`, 'is not a valid regular expression');
      valid = false;
      continue;
    }
    const unsafe = regexSafetyProblem(rule, 'u');
    if (unsafe !== null) {
      problem(ctx, `values[${JSON.stringify(key)}]`, unsafe);
      valid = false;
      continue;
    }
    tests.push({ key, ok: (v) => re.test(v) });
  }
  if (!valid) return null;

  return {
    locates: false,
    run(input: CheckInput): Violation | null {
      const metadata = input.item?.metadata ?? {};
      const value = (key: string): string | undefined =>
        Object.hasOwn(metadata, key) && metadata[key] !== '' ? metadata[key] : undefined;
      for (const key of required)
        if (value(key) === undefined)
          return { detail: `metadata ${JSON.stringify(key)} is missing` };
      for (const { key, ok } of tests) {
        const v = value(key);
        if (v !== undefined && !ok(v))
          return { detail: `metadata ${JSON.stringify(key)} has a value the rule does not allow` };
      }
      return null;
    },
  };
}
