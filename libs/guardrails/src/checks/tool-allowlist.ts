import type { ValidateFunction } from 'ajv';
import type { ToolAllowlistCheck } from '../rule-schema';
import { GuardrailEvaluationError } from '../errors';
import {
  problem,
  shorten,
  type CheckInput,
  type CompileContext,
  type CompiledCheck,
} from './check';
import { compileSchema, schemaFailure } from './json-schema';

/**
 * For stage `tool_call`: the tool must be allowed, and its arguments must match the tool's
 * schema when `arguments_schema` has one. An agent listed in `by_agent` gets exactly its own
 * list (which may be narrower than `tools`); any other call gets `tools`, or nothing when
 * there is no `tools`. Arguments that are not JSON are a violation, not an error: they are
 * what the model produced.
 */
export function compileToolAllowlist(
  check: ToolAllowlistCheck,
  ctx: CompileContext,
): CompiledCheck | null {
  if (ctx.stage !== 'tool_call') {
    problem(ctx, null, 'tool_allowlist applies only to rules of stage tool_call');
    return null;
  }
  const tools = new Set(check.tools ?? []);
  const byAgent = new Map(Object.entries(check.by_agent ?? {}).map(([a, t]) => [a, new Set(t)]));
  const schemas = new Map<string, ValidateFunction>();
  let ok = true;
  for (const [tool, schema] of Object.entries(check.arguments_schema ?? {})) {
    const compiled = compileSchema(schema);
    if (compiled.problems) {
      for (const p of compiled.problems) {
        const at = `arguments_schema[${JSON.stringify(tool)}]${p.at ? `.${p.at}` : ''}`;
        problem(ctx, at, p.message);
      }
      ok = false;
    } else schemas.set(tool, compiled.validate);
  }
  if (!ok) return null;

  return {
    locates: false,
    run(input: CheckInput) {
      const call = input.toolCall;
      if (call === undefined) throw new GuardrailEvaluationError('the item has no tool_call');
      const agent = input.agentId;
      const tool = JSON.stringify(shorten(call.name, 64));
      const allowed = (agent !== undefined ? byAgent.get(agent) : undefined) ?? tools;
      if (!allowed.has(call.name)) {
        const who = agent !== undefined ? ` for agent ${JSON.stringify(agent)}` : '';
        return { detail: `tool ${tool} is not allowed${who}` };
      }
      const validate = schemas.get(call.name);
      if (validate === undefined) return null;
      let args: unknown;
      try {
        args = JSON.parse(call.arguments);
      } catch {
        return { detail: `tool ${tool}: arguments are not valid JSON` };
      }
      if (validate(args)) return null;
      return {
        detail: `tool ${tool}: arguments fail the schema at ${schemaFailure(validate)}`,
      };
    },
  };
}
