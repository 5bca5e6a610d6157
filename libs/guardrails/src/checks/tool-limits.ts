import type { ToolLimitsCheck } from '../rule-schema';
import { GuardrailEvaluationError } from '../errors';
import type { GuardrailToolHistory } from '../item';
import { problem, type CheckInput, type CompileContext, type CompiledCheck } from './check';
import { toolTest } from './tool-patterns';

/**
 * For stage `tool_call`: how many calls of the counted tools (`tools`, default every tool) a
 * trace and a session may make. The count is the item's `tool_history` plus this call, so the
 * call that would go over the limit is the one that violates; a call of a tool not counted
 * never does. The engine keeps no state: without `tool_history` the check cannot count, and
 * fails (its `on_error` decides) rather than pass on a count of one.
 */
export function compileToolLimits(
  check: ToolLimitsCheck,
  ctx: CompileContext,
): CompiledCheck | null {
  if (ctx.stage !== 'tool_call') {
    problem(ctx, null, 'tool_limits applies only to rules of stage tool_call');
    return null;
  }
  const counted = check.tools ? toolTest(check.tools) : () => true;
  const what = check.tools ? 'calls of the counted tools' : 'tool calls';
  const limits: Array<[keyof GuardrailToolHistory, number]> = [];
  if (check.max_per_trace !== undefined) limits.push(['trace', check.max_per_trace]);
  if (check.max_per_session !== undefined) limits.push(['session', check.max_per_session]);

  return {
    locates: false,
    run(input: CheckInput) {
      const call = input.toolCall;
      if (call === undefined) throw new GuardrailEvaluationError('the item has no tool_call');
      if (!counted(call.name)) return null;
      const history = input.item?.tool_history;
      if (history === undefined)
        throw new GuardrailEvaluationError('the item has no tool_history to count calls in');
      for (const [within, max] of limits) {
        let n = 1; // this call
        for (const tool of history[within]) {
          if (counted(tool) && ++n > max) break;
        }
        if (n > max)
          return {
            detail: `${what} in the ${within} would be ${n} with this one, over max_per_${within} ${max}`,
          };
      }
      return null;
    },
  };
}
