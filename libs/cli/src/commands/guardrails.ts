import { UsageError } from '../args';
import type { CliContext } from '../context';
import { guardrailsCheck, guardrailsCheckHelp } from './guardrails/check';
import { guardrailsEval, guardrailsEvalHelp } from './guardrails/eval';
import { guardrailsExport, guardrailsExportHelp } from './guardrails/export';
import {
  guardrailsAddHelp,
  guardrailsListHelp,
  guardrailsRemoveHelp,
  guardrailsRules,
  guardrailsShowHelp,
} from './guardrails/rules';

/**
 * `llmops guardrails <sub>`: one file per subcommand under guardrails/ (`check` and `eval` run
 * rules locally on JSON lines; `add`, `list`, `show` and `remove` manage the control-plane
 * rules through the admin API).
 */
const subcommands: Record<
  string,
  { help: string; run: (ctx: CliContext, argv: string[]) => Promise<number> }
> = {
  check: { help: guardrailsCheckHelp, run: (_ctx, argv) => guardrailsCheck(argv) },
  eval: { help: guardrailsEvalHelp, run: (_ctx, argv) => guardrailsEval(argv) },
  export: { help: guardrailsExportHelp, run: guardrailsExport },
  add: { help: guardrailsAddHelp, run: (ctx, argv) => guardrailsRules(ctx, 'add', argv) },
  list: { help: guardrailsListHelp, run: (ctx, argv) => guardrailsRules(ctx, 'list', argv) },
  show: { help: guardrailsShowHelp, run: (ctx, argv) => guardrailsRules(ctx, 'show', argv) },
  remove: { help: guardrailsRemoveHelp, run: (ctx, argv) => guardrailsRules(ctx, 'remove', argv) },
};

export const guardrailsHelp = Object.values(subcommands)
  .map((s) => s.help)
  .join('\n');

export async function guardrailsCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const command = sub === undefined ? undefined : subcommands[sub];
  if (command === undefined)
    throw new UsageError(
      `guardrails: expected ${Object.keys(subcommands).join(', ')}\n${guardrailsHelp}`,
    );
  return command.run(ctx, rest);
}
