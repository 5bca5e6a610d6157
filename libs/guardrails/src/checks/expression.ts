import type { ParseResult } from '@marcbachmann/cel-js';
import type { ExpressionCheck } from '../rule-schema';
import { GuardrailEvaluationError } from '../errors';
import type { GuardrailItem } from '../item';
import {
  problem,
  shorten,
  type CheckInput,
  type CompileContext,
  type CompiledCheck,
  type Segment,
} from './check';
import { COST_BUDGET, analyseExpression, estimateCost } from './expression-cost';
import {
  addSize,
  celEnvironment,
  celValue,
  emptySize,
  type CelValue,
  type CelVariable,
} from './expression-env';

/**
 * A rule of its own in CEL (the Common Expression Language, with `@marcbachmann/cel-js`):
 * violated when the expression is true. It is parsed, type-checked against the declared
 * variables (expression-env.ts) and analysed for cost (expression-cost.ts) once, when the
 * rules load; each evaluation builds only the variables it names. An expression that fails on
 * an item (`tool_call.args.path` where there is no `path`: guard it with `has()`), gives
 * something other than a bool, or would cost more than the budget on this item is a failed
 * check, and the rule's `on_error` decides. The expression is code: it is never given to
 * `eval` or `Function`; cel-js interprets its AST.
 */
export function compileExpression(
  check: ExpressionCheck,
  ctx: CompileContext,
): CompiledCheck | null {
  let parsed: ParseResult;
  try {
    parsed = celEnvironment.parse(check.expression);
  } catch (err) {
    problem(ctx, 'expression', describeCelError(err));
    return null;
  }
  const checked = parsed.check();
  if (!checked.valid) {
    problem(ctx, 'expression', describeCelError(checked.error));
    return null;
  }
  if (checked.type !== 'bool' && checked.type !== 'dyn') {
    problem(ctx, 'expression', `gives ${checked.type ?? 'an unknown type'}, not bool`);
    return null;
  }
  const { cost, problems } = analyseExpression(parsed.ast);
  if (problems.length > 0) {
    for (const p of problems) problem(ctx, 'expression', p);
    return null;
  }
  const label = check.name ?? shorten(check.expression.replace(/\s+/g, ' ').trim(), 60);
  const violation = { detail: `expression ${label} is true` };
  const measured = cost.measured.map((part) => part.split('.') as [CelVariable, string?]);

  return {
    locates: false,
    run(input: CheckInput) {
      const item = input.item;
      if (item === undefined) throw new GuardrailEvaluationError('the check has no item');
      const values = valuesOf(input, item, input.segments);
      const vars: Record<string, unknown> = {};
      for (const name of cost.variables) vars[name] = values(name).value;
      const size = emptySize();
      for (const [name, field] of measured) {
        const v = values(name);
        addSize(size, (field !== undefined ? v.parts?.[field] : undefined) ?? v.size);
      }
      const estimate = estimateCost(cost, size);
      if (estimate > COST_BUDGET)
        throw new GuardrailEvaluationError(
          `expression would cost about ${estimate.toExponential(1)} units on this item, ` +
            `over the budget of ${COST_BUDGET.toExponential(0)} (its texts or lists are too large for it)`,
        );
      let result: unknown;
      try {
        result = parsed(vars);
      } catch (err) {
        // No cause: a CEL error's message can quote the item (`invalid string value "…"`),
        // and this error's message goes to the decision's detail.
        throw new GuardrailEvaluationError(`expression failed: ${describeCelError(err, false)}`);
      }
      if (typeof result !== 'boolean')
        throw new GuardrailEvaluationError(`expression gave ${celType(result)}, not a bool`);
      return result ? violation : null;
    },
  };
}

/**
 * The variables of the evaluation under way, each built once however many expression rules
 * use it. The engine evaluates one item at a time, synchronously, with one input per
 * evaluation, so one slot is enough (a WeakMap keyed by input costs more than building the
 * variables again: an entry per call for the collector to sweep).
 */
let current: { input: CheckInput; values: Map<CelVariable, CelValue> } | undefined;

function valuesOf(
  input: CheckInput,
  item: GuardrailItem,
  segments: readonly Segment[],
): (name: CelVariable) => CelValue {
  if (current?.input !== input) current = { input, values: new Map() };
  const values = current.values;
  return (name) => {
    let v = values.get(name);
    if (v === undefined) {
      v = celValue(name, item, segments);
      values.set(name, v);
    }
    return v;
  };
}

/**
 * A cel-js error as a problem or a detail: its summary and where in the expression, at load
 * (the expression is the rule's); at evaluation only its code, since the summary can quote
 * the item's values.
 */
function describeCelError(err: unknown, summary = true): string {
  if (!(err instanceof Error)) return typeof err;
  const e = err as Error & {
    code?: unknown;
    summary?: unknown;
    range?: { start: number; end: number };
  };
  const what =
    summary && typeof e.summary === 'string'
      ? e.summary
      : typeof e.code === 'string'
        ? e.code
        : e.name;
  return e.range ? `${what} (at characters ${e.range.start}-${e.range.end})` : what;
}

function celType(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'bigint') return 'an int';
  if (typeof value === 'number') return 'a double';
  if (typeof value === 'string') return 'a string';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a map' : typeof value;
}
