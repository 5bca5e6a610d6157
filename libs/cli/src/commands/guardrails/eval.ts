import { DatasetError, evaluateDataset, formatReport, type EvalOptions } from '@llmops/guardrails';
import { parse, UsageError } from '../../args';
import { readRules, readText } from './read-file';

export const guardrailsEvalHelp = `llmops guardrails eval --rules FILE --dataset FILE [--dataset FILE …]
                        [--split dev|test] [--rule ID …] [--min-precision P] [--min-recall R]
                        [--json] [--max-misses N]
  runs the rules on labelled JSON lines (the items of 'check', each with "expected": the rule
  ids it should trigger, [] for clean ones) and prints precision, recall and F1 per rule and
  overall, the confusion counts, time per check, per family, and the misclassified items;
  exits 1 when a gate (--min-precision, --min-recall, 0..1) is missed`;

export interface EvalArgs {
  rules: string;
  datasets: string[];
  options: EvalOptions;
  json: boolean;
  maxMisses: number;
}

function fraction(name: string, value: string | boolean | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isFinite(n) || n < 0 || n > 1)
    throw new UsageError(
      `guardrails eval: --${name} must be a number from 0 to 1 (got '${String(value)}')`,
    );
  return n;
}

export function parseEvalArgs(argv: string[]): EvalArgs {
  const { values, positionals } = parse('guardrails eval', argv, {
    rules: { type: 'string' },
    dataset: { type: 'string', multiple: true },
    split: { type: 'string' },
    rule: { type: 'string', multiple: true },
    'min-precision': { type: 'string' },
    'min-recall': { type: 'string' },
    json: { type: 'boolean', default: false },
    'max-misses': { type: 'string' },
  });
  if (positionals.length > 0)
    throw new UsageError(`guardrails eval: unexpected argument '${positionals[0]}'`);
  if (typeof values.rules !== 'string')
    throw new UsageError(`guardrails eval: --rules FILE is required\n${guardrailsEvalHelp}`);
  const datasets = values.dataset as unknown as string[] | undefined;
  if (!datasets?.length)
    throw new UsageError(`guardrails eval: --dataset FILE is required\n${guardrailsEvalHelp}`);
  const maxMisses = values['max-misses'] === undefined ? 25 : Number(values['max-misses']);
  if (!Number.isInteger(maxMisses) || maxMisses < 0)
    throw new UsageError(`guardrails eval: --max-misses must be a whole number ≥ 0`);
  const only = values.rule as unknown as string[] | undefined;
  const minPrecision = fraction('min-precision', values['min-precision']);
  const minRecall = fraction('min-recall', values['min-recall']);
  return {
    rules: values.rules,
    datasets,
    json: values.json === true,
    maxMisses,
    options: {
      ...(typeof values.split === 'string' ? { split: values.split } : {}),
      ...(only?.length ? { only } : {}),
      ...(minPrecision !== undefined ? { minPrecision } : {}),
      ...(minRecall !== undefined ? { minRecall } : {}),
    },
  };
}

export function guardrailsEval(argv: string[]): Promise<number> {
  const args = parseEvalArgs(argv);
  const rules = readRules('guardrails eval', args.rules);
  const files = args.datasets.map((name) => ({ name, text: readText('guardrails eval', name) }));
  let report;
  try {
    report = evaluateDataset(rules, files, args.options);
  } catch (err) {
    if (err instanceof DatasetError) throw new UsageError(`guardrails eval: ${err.message}`);
    throw err;
  }
  process.stdout.write(
    args.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report, args.maxMisses),
  );
  return Promise.resolve(report.gate.failures.length > 0 ? 1 : 0);
}
