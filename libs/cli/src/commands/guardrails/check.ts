import { runCheckCli } from '@llmops/guardrails';
import { parse, UsageError } from '../../args';
import { readRules } from './read-file';

export const guardrailsCheckHelp = `llmops guardrails check --rules FILE
  reads JSON lines {"id", "stage", "text" | "messages" | "tool_call", "app_id"?, "agent_id"?,
  "model"?, "endpoint_kind"?, "tenant"?} on stdin and writes, with the same rules and engine as
  the gateway, {"id", "flagged", "blocked", "rules", "action", "decisions"} per line`;

export async function guardrailsCheck(argv: string[]): Promise<number> {
  const { values } = parse('guardrails check', argv, { rules: { type: 'string' } });
  const file = values.rules;
  if (typeof file !== 'string')
    throw new UsageError(`guardrails check: --rules FILE is required\n${guardrailsCheckHelp}`);
  return runCheckCli(readRules('guardrails check', file), process.stdin, process.stdout);
}
