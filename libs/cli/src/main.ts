import { ConfigError } from '@llmops/config';
import { UsageError } from './args';
import { createContext, type CliContext } from './context';
import { budgetsCommand, budgetsHelp } from './commands/budgets';
import { dlqCommand, dlqHelp } from './commands/dlq';
import { guardrailsCommand, guardrailsHelp } from './commands/guardrails';
import { keysCommand, keysHelp } from './commands/keys';
import { migrateCommand, migrateHelp } from './commands/migrate';
import { piiCommand, piiHelp } from './commands/pii';
import { routesCommand, routesHelp } from './commands/routes';
import { siemCommand, siemHelp } from './commands/siem';
import { stackCommand, stackHelp } from './commands/stack';
import { startCommand, startHelp } from './commands/start';
import { testCommand, testHelp } from './commands/test';
import { topicsCommand, topicsHelp } from './commands/topics';
import { upstreamsCommand, upstreamsHelp } from './commands/upstreams';
import { usageCommand, usageHelp } from './commands/usage';

const COMMANDS: Record<
  string,
  { help: string; run: (ctx: CliContext, argv: string[]) => Promise<number> }
> = {
  start: { help: startHelp, run: (ctx) => startCommand(ctx) },
  test: { help: testHelp, run: testCommand },
  stack: { help: stackHelp, run: stackCommand },
  keys: { help: keysHelp, run: keysCommand },
  budgets: { help: budgetsHelp, run: budgetsCommand },
  usage: { help: usageHelp, run: usageCommand },
  upstreams: { help: upstreamsHelp, run: upstreamsCommand },
  routes: { help: routesHelp, run: routesCommand },
  topics: { help: topicsHelp, run: topicsCommand },
  dlq: { help: dlqHelp, run: dlqCommand },
  migrate: { help: migrateHelp, run: (ctx) => migrateCommand(ctx) },
  pii: { help: piiHelp, run: piiCommand },
  guardrails: { help: guardrailsHelp, run: guardrailsCommand },
  siem: { help: siemHelp, run: siemCommand },
};

export const usage = `llmops: the LLM gateway and audit pipeline

usage: llmops <command> [options]

${Object.values(COMMANDS)
  .map((c) => c.help)
  .join('\n\n')}

Configuration comes from environment variables; see the README's table.`;

/** Runs one command line; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`llmops: unknown command '${name}'; run \`npx llmops --help\`\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.help}\n`);
    return 0;
  }
  try {
    return await command.run(createContext(), rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`llmops ${err.message}\n`);
      return 2;
    }
    if (err instanceof ConfigError) {
      process.stderr.write(`llmops: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
