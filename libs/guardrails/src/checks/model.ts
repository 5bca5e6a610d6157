import type { ModelCheck } from '../rule-schema';
import {
  problem,
  shorten,
  type CheckInput,
  type CompileContext,
  type CompiledCheck,
  type Violation,
} from './check';

/**
 * The model a call names (`context.model`), against an allow list, a deny list or both; entries
 * ending in `*` are prefixes (`gpt-4o*`), as in a rule's scope. Deny wins over allow. With an
 * allow list, a call that names no model is a violation (nothing shows it is allowed). Names
 * are compared case-insensitively, so `GPT-4o` does not slip past a deny of `gpt-4o*` at an
 * upstream that reads model names loosely. For stage `input` only: that is where the call can
 * still be refused before it reaches the model.
 */
export function compileModel(check: ModelCheck, ctx: CompileContext): CompiledCheck | null {
  if (ctx.stage !== 'input') {
    problem(ctx, null, 'model applies only to rules of stage input');
    return null;
  }
  const allow = check.allow && matcher(check.allow);
  const deny = check.deny && matcher(check.deny);
  return {
    locates: false,
    run(input: CheckInput): Violation | null {
      const model = input.item?.context.model;
      if (model === undefined || model === '')
        return allow ? { detail: 'the call names no model, and the rule has an allow list' } : null;
      const name = JSON.stringify(shorten(model, 64));
      const denied = deny?.(model);
      if (denied !== undefined && denied !== -1)
        return { detail: `model ${name} is denied (deny[${denied}])` };
      if (allow && allow(model) === -1) return { detail: `model ${name} is not in the allow list` };
      return null;
    },
  };
}

/** The index of the first entry that covers `model`, or -1. */
function matcher(list: readonly string[]): (model: string) => number {
  const entries = list.map((m) =>
    m.endsWith('*')
      ? { prefix: true, name: m.slice(0, -1).toLowerCase() }
      : { prefix: false, name: m.toLowerCase() },
  );
  return (model) => {
    const m = model.toLowerCase();
    return entries.findIndex((e) => (e.prefix ? m.startsWith(e.name) : m === e.name));
  };
}
