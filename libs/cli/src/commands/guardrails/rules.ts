import { readFileSync } from 'node:fs';
import { GuardrailConfigError, loadRuleFile, type Rule } from '@llmops/guardrails';
import { adminApi, changedBy, table } from '../../admin-api';
import { parse, UsageError } from '../../args';
import type { CliContext } from '../../context';

const API = '/v1/admin/guardrails/rules';
const WHERE = `  these call the ingress's admin API: LLMOPS_URL (default the local ingress) with LLMOPS_API_KEY
  (an admin key; its tenant's rules, or with --deployment those of every tenant, which only the
  admin keys of GATEWAY_ADMIN_TENANTS may manage)`;

export const guardrailsAddHelp = `llmops guardrails add --file RULE.yaml|RULE.json [--deployment] [--expected-revision N]
  stores the rule of the file (one rule, or { rules: [...] }, checked here first) on the control
  plane; every gateway replica applies it within moments. The gateway numbers revisions (a file's
  revision is not sent): prints each rule's. --expected-revision N: only if the rule is at N (0: absent)`;
export const guardrailsListHelp = `llmops guardrails list [--deployment] [--json]`;
export const guardrailsShowHelp = `llmops guardrails show <id> [--deployment] [--json]`;
export const guardrailsRemoveHelp = `llmops guardrails remove <id> [--deployment] [--expected-revision N]
${WHERE}`;

export type RulesArgs =
  | { sub: 'add'; file: string; deployment: boolean; expectedRevision?: number }
  | { sub: 'list'; deployment: boolean; json: boolean }
  | { sub: 'show'; id: string; deployment: boolean; json: boolean }
  | { sub: 'remove'; id: string; deployment: boolean; expectedRevision?: number };

export type RulesSub = RulesArgs['sub'];

const FLAGS = {
  deployment: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  'expected-revision': { type: 'string' },
  file: { type: 'string' },
} as const;
const ACCEPTS: Record<RulesSub, Array<keyof typeof FLAGS>> = {
  add: ['file', 'deployment', 'expected-revision'],
  list: ['deployment', 'json'],
  show: ['deployment', 'json'],
  remove: ['deployment', 'expected-revision'],
};

export function parseRulesArgs(sub: RulesSub, argv: string[]): RulesArgs {
  const command = `guardrails ${sub}`;
  const options = Object.fromEntries(ACCEPTS[sub].map((f) => [f, FLAGS[f]]));
  const { values, positionals } = parse(command, argv, options);
  const deployment = values.deployment === true;
  const expected = values['expected-revision'];
  if (expected !== undefined && !/^\d{1,10}$/.test(String(expected)))
    throw new UsageError(`${command}: --expected-revision must be a revision number (0: absent)`);
  const expectedRevision = expected === undefined ? {} : { expectedRevision: Number(expected) };
  const id = () => {
    if (positionals.length !== 1)
      throw new UsageError(`${command}: give one rule id (see \`llmops guardrails list\`)`);
    return positionals[0]!;
  };
  switch (sub) {
    case 'add':
      if (typeof values.file !== 'string')
        throw new UsageError(`${command}: --file RULE.yaml is required\n${guardrailsAddHelp}`);
      if (positionals.length > 0)
        throw new UsageError(`${command}: unexpected argument '${positionals[0]}'`);
      return { sub, file: values.file, deployment, ...expectedRevision };
    case 'list':
      if (positionals.length > 0)
        throw new UsageError(`${command}: unexpected argument '${positionals[0]}'`);
      return { sub, deployment, json: values.json === true };
    case 'show':
      return { sub, id: id(), deployment, json: values.json === true };
    case 'remove':
      return { sub, id: id(), deployment, ...expectedRevision };
  }
}

/** A rule as the admin API answers it. */
export interface RuleView extends Rule {
  tenant: string | null;
  changed_at: string;
  changed_by: {
    source: string;
    key_id: string | null;
    tenant_id: string | null;
    file: string | null;
  };
}

export function rulesTable(rules: RuleView[]): string[] {
  return table([
    ['ID', 'STAGE', 'CHECK', 'ACTION', 'SEVERITY', 'TENANT', 'REV', 'CHANGED', 'BY'],
    ...rules.map((r) => [
      r.id,
      r.stage,
      r.check.type,
      r.action,
      r.severity,
      r.tenant ?? '(every)',
      String(r.revision),
      r.changed_at,
      changedBy(r.changed_by),
    ]),
  ]);
}

/** The file's rules, checked here as the gateway checks them, so none is sent if one is wrong. */
function readRules(command: string, file: string): Rule[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(
      `${command}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  try {
    return loadRuleFile(text, file);
  } catch (err) {
    if (err instanceof GuardrailConfigError) throw new UsageError(`${command}: ${err.message}`);
    throw err;
  }
}

function query(args: { deployment: boolean; expectedRevision?: number }): string {
  const q = new URLSearchParams();
  if (args.deployment) q.set('scope', 'deployment');
  if (args.expectedRevision !== undefined)
    q.set('expected_revision', String(args.expectedRevision));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** `llmops guardrails add|list|show|remove`, through the ingress's admin API. */
export async function guardrailsRules(ctx: CliContext, sub: RulesSub, argv: string[]) {
  const args = parseRulesArgs(sub, argv);
  const command = `guardrails ${sub}`;
  switch (args.sub) {
    case 'add': {
      const rules = readRules(command, args.file);
      if (args.expectedRevision !== undefined && rules.length !== 1)
        throw new UsageError(`${command}: --expected-revision takes a file of one rule`);
      for (const [i, rule] of rules.entries()) {
        const { id, revision: _numberedByTheGateway, ...body } = rule;
        // The API names a field by its path in the rule; say where it is in the file.
        const api = adminApi(ctx, command, (p) => `${args.file}: rules[${i}].${p}`);
        const { status, json } = await api.request(
          'PUT',
          `${API}/${encodeURIComponent(id)}${query(args)}`,
          body,
        );
        const r = json as RuleView;
        ctx.out(`${status === 201 ? 'added' : 'saved'} rule ${r.id} (revision ${r.revision})`);
      }
      return 0;
    }
    case 'list': {
      const api = adminApi(ctx, command);
      const body = (await api.request('GET', `${API}${query(args)}`)).json as { rules: RuleView[] };
      if (args.json) ctx.out(JSON.stringify(body));
      else if (body.rules.length === 0)
        ctx.err(args.deployment ? 'no deployment-wide rules' : 'no rules');
      else for (const line of rulesTable(body.rules)) ctx.out(line);
      return 0;
    }
    case 'show': {
      const api = adminApi(ctx, command);
      const r = (await api.request('GET', `${API}/${encodeURIComponent(args.id)}${query(args)}`))
        .json as RuleView;
      if (args.json) ctx.out(JSON.stringify(r));
      else for (const line of describe(r)) ctx.out(line);
      return 0;
    }
    case 'remove': {
      const api = adminApi(ctx, command);
      await api.request('DELETE', `${API}/${encodeURIComponent(args.id)}${query(args)}`);
      ctx.out(`removed rule ${args.id}`);
      return 0;
    }
  }
}

/** One rule as lines `field  value`; the check and scope as JSON, as a rules file can hold them. */
export function describe(r: RuleView): string[] {
  return table([
    ['id', r.id],
    ['tenant', r.tenant ?? '(every tenant)'],
    ['revision', String(r.revision)],
    ['changed', `${r.changed_at} by ${changedBy(r.changed_by)}`],
    ...(r.description !== undefined ? [['description', r.description]] : []),
    ['stage', r.stage],
    ['action', `${r.action} (severity ${r.severity})`],
    ['on error', `${r.on_error} (timeout ${r.timeout_ms} ms)`],
    ['scope', JSON.stringify(r.scope)],
    ['check', JSON.stringify(r.check)],
  ]);
}
