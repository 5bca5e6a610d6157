import type { Budget } from '@llmops/contracts';
import {
  BudgetExistsError,
  BudgetStore,
  BudgetValidationError,
  buildBudget,
  budgetView,
  microToUsd,
  type BudgetInput,
} from '@llmops/pricing';
import { parse, required, UsageError } from '../args';
import { explainKafkaError, type CliContext } from '../context';

export const budgetsHelp = `llmops budgets create --tenant T --scope tenant|app|user|agent [--scope-value V]
                     --period day|month --unit tokens|usd --limit N [--id ID] [--name N]
                     [--thresholds 50,80,100|none] [--hard-limit 100|none]
                   a budget per UTC day or calendar month; usd limits are decimal dollars (250.50);
                   soft thresholds emit budget events, the hard limit also denies /v1/budgets/check
llmops budgets list [--tenant T] [--json]
llmops budgets set <budget-id> --tenant T [--limit N] [--thresholds …] [--hard-limit …] [--name N]
llmops budgets delete <budget-id> --tenant T`;

/** Field of the budget record → the flag that sets it, so errors name what to type. */
const FLAG: Record<string, string> = {
  budget_id: '--id',
  name: '--name',
  scope: '--scope',
  scope_value: '--scope-value',
  period: '--period',
  unit: '--unit',
  limit: '--limit',
  thresholds_pct: '--thresholds',
  hard_limit_pct: '--hard-limit',
};

const CHANGE_OPTIONS = {
  tenant: { type: 'string' },
  limit: { type: 'string' },
  thresholds: { type: 'string' },
  'hard-limit': { type: 'string' },
  name: { type: 'string' },
} as const;

type Values = Record<string, string | boolean | undefined>;

/** The flags a create or set shares: limit, thresholds, hard limit, name. */
function changeInput(values: Values): BudgetInput {
  const input: BudgetInput = {};
  if (typeof values.limit === 'string') input.limit = values.limit;
  if (typeof values.name === 'string') input.name = values.name;
  if (typeof values.thresholds === 'string') {
    const t = values.thresholds.trim();
    // Anything not a number stays as text, so the budget's own validation names the flag.
    input.thresholds_pct =
      t === 'none' ? [] : t.split(',').map((p) => (/^\s*\d+\s*$/.test(p) ? Number(p) : p));
  }
  if (typeof values['hard-limit'] === 'string') {
    const h = values['hard-limit'].trim();
    input.hard_limit_pct = h === 'none' ? null : /^\d+$/.test(h) ? Number(h) : h;
  }
  return input;
}

function describe(b: Budget): string {
  const limit = b.unit === 'usd' ? `$${microToUsd(BigInt(b.limit))}` : `${b.limit} tokens`;
  const scope = b.scope_value ? `${b.scope}:${b.scope_value}` : b.scope;
  const thresholds = b.thresholds_pct.length ? b.thresholds_pct.join(',') : 'none';
  const hard = b.hard_limit_pct === null ? 'none' : `${b.hard_limit_pct}%`;
  return `${b.budget_id}  ${b.tenant_id}  ${scope}  ${b.period}  ${limit}  soft ${thresholds}  hard ${hard}  rev ${b.revision}  ${b.name ?? ''}`.trimEnd();
}

/** The API's view of a budget, with its tenant (the CLI sees every tenant). */
function view(b: Budget) {
  return { tenant_id: b.tenant_id, ...budgetView(b) };
}

/** A validation failure as a usage error naming the flags to fix. */
function invalid(sub: string, err: unknown): unknown {
  if (!(err instanceof BudgetValidationError)) return err;
  const lines = err.errors.map((e) => `  ${FLAG[e.path] ?? e.path}: ${e.message}`);
  return new UsageError(`budgets ${sub}: invalid budget\n${lines.join('\n')}`);
}

function budgetId(command: string, positionals: string[]): string {
  const id = positionals[0];
  if (!id) throw new UsageError(`${command}: give the budget id (see \`llmops budgets list\`)`);
  return id;
}

function notFound(tenant: string, id: string): Error {
  return new Error(
    `tenant ${tenant} has no budget '${id}'; \`llmops budgets list --tenant ${tenant}\` lists them`,
  );
}

/** Budgets are read from the control topic; without it there is nothing to read or write. */
async function openStore(ctx: CliContext): Promise<BudgetStore> {
  const topic = ctx.topics.controlBudgets;
  const admin = ctx.kafka().admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) {
      throw new Error(
        `the budgets topic ${topic} does not exist on ${ctx.endpoints.kafkaBrokers}; create it with \`llmops topics ensure\``,
      );
    }
  } finally {
    await admin.disconnect();
  }
  const store = new BudgetStore(ctx.kafka(), ctx.logger, topic);
  await store.start();
  return store;
}

export async function budgetsCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  // Arguments first: a typo must not wait for Kafka.
  let run: (store: BudgetStore) => Promise<void>;
  switch (sub) {
    case 'create': {
      const { values } = parse('budgets create', rest, {
        ...CHANGE_OPTIONS,
        id: { type: 'string' },
        scope: { type: 'string' },
        'scope-value': { type: 'string' },
        period: { type: 'string' },
        unit: { type: 'string' },
      });
      const tenant = required('budgets create', 'tenant', values.tenant);
      const input: BudgetInput = {
        ...changeInput(values),
        scope: values.scope,
        period: values.period,
        unit: values.unit,
        ...(values.id !== undefined ? { budget_id: values.id } : {}),
        ...(values['scope-value'] !== undefined ? { scope_value: values['scope-value'] } : {}),
      };
      try {
        buildBudget(tenant, input, Date.now()); // a typo must not wait for Kafka
      } catch (err) {
        throw invalid('create', err);
      }
      run = async (store) => {
        const b = await store.create(tenant, input);
        ctx.err(`created budget ${b.budget_id} for tenant ${tenant}`);
        ctx.out(describe(b));
      };
      break;
    }
    case 'list': {
      const { values } = parse('budgets list', rest, {
        tenant: { type: 'string' },
        json: { type: 'boolean', default: false },
      });
      const tenant = typeof values.tenant === 'string' ? values.tenant : undefined;
      run = async (store) => {
        const budgets = store
          .list(tenant)
          .sort(
            (a, b) =>
              a.tenant_id.localeCompare(b.tenant_id) || a.budget_id.localeCompare(b.budget_id),
          );
        if (values.json) ctx.out(JSON.stringify({ budgets: budgets.map(view) }));
        else if (budgets.length === 0)
          ctx.err(`no budgets${tenant ? ` for tenant ${tenant}` : ''}`);
        else for (const b of budgets) ctx.out(describe(b));
      };
      break;
    }
    case 'set': {
      const { values, positionals } = parse('budgets set', rest, CHANGE_OPTIONS);
      const id = budgetId('budgets set', positionals);
      const tenant = required('budgets set', 'tenant', values.tenant);
      const input = changeInput(values);
      if (Object.keys(input).length === 0) {
        throw new UsageError(
          'budgets set: give at least one of --limit, --thresholds, --hard-limit, --name',
        );
      }
      run = async (store) => {
        const b = await store.update(tenant, id, input);
        if (!b) throw notFound(tenant, id);
        ctx.err(`changed budget ${id} (revision ${b.revision})`);
        ctx.out(describe(b));
      };
      break;
    }
    case 'delete': {
      const { values, positionals } = parse('budgets delete', rest, { tenant: { type: 'string' } });
      const id = budgetId('budgets delete', positionals);
      const tenant = required('budgets delete', 'tenant', values.tenant);
      run = async (store) => {
        if (!(await store.delete(tenant, id))) throw notFound(tenant, id);
        ctx.out(`deleted budget ${id} of tenant ${tenant}`);
      };
      break;
    }
    default:
      throw new UsageError(`budgets: expected create, list, set or delete\n${budgetsHelp}`);
  }

  let store: BudgetStore | undefined;
  try {
    store = await openStore(ctx);
    await run(store);
    return 0;
  } catch (err) {
    if (err instanceof BudgetValidationError) throw invalid(sub, err);
    if (err instanceof BudgetExistsError) {
      throw new Error(`${err.message} with \`llmops budgets set\``, { cause: err });
    }
    if (err instanceof Error && /^(tenant .* has no budget|the budgets topic)/.test(err.message))
      throw err;
    throw explainKafkaError(ctx, err);
  } finally {
    await store?.stop();
  }
}
