import type { ToolSequenceCheck } from '../rule-schema';
import { GuardrailEvaluationError } from '../errors';
import {
  problem,
  shorten,
  type CheckInput,
  type CompileContext,
  type CompiledCheck,
} from './check';
import { toolTest, type ToolTest } from './tool-patterns';

/**
 * For stage `tool_call`: sequences of tools that must not happen in this order, such as
 * `[read_customer_db, http_post]` (data read, then sent out). A call violates when it is the
 * last tool of a forbidden sequence and the others occurred before it, in order, in the trace's
 * (or with `within: session`, the session's) `tool_history`; other calls may come between.
 * Only the call that completes a sequence is flagged, each time one does: the earlier steps are
 * harmless alone. Without `tool_history` the check fails (its `on_error` decides).
 */
export function compileToolSequence(
  check: ToolSequenceCheck,
  ctx: CompileContext,
): CompiledCheck | null {
  if (ctx.stage !== 'tool_call') {
    problem(ctx, null, 'tool_sequence applies only to rules of stage tool_call');
    return null;
  }
  const within = check.within ?? 'trace';
  const sequences = check.forbidden.map((tools, i) => ({
    steps: tools.slice(0, -1).map((t) => toolTest([t])),
    last: toolTest([tools[tools.length - 1]!]),
    detail: `forbidden[${i}] (${shorten(tools.join(' → '), 80)}) completed in the ${within}`,
  }));

  return {
    locates: false,
    run(input: CheckInput) {
      const call = input.toolCall;
      if (call === undefined) throw new GuardrailEvaluationError('the item has no tool_call');
      const history = input.item?.tool_history;
      if (history === undefined)
        throw new GuardrailEvaluationError('the item has no tool_history to match sequences in');
      const past = history[within];
      for (const sequence of sequences) {
        if (sequence.last(call.name) && occursInOrder(sequence.steps, past))
          return { detail: sequence.detail };
      }
      return null;
    },
  };
}

/**
 * Whether the steps match tools of `past` in order, not necessarily adjacent. Taking the
 * earliest tool that matches each step is enough: a later choice never leaves more room.
 */
function occursInOrder(steps: readonly ToolTest[], past: readonly string[]): boolean {
  let next = 0;
  for (let i = 0; i < past.length && next < steps.length; i++) if (steps[next]!(past[i]!)) next++;
  return next === steps.length;
}
