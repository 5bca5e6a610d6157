import { GuardrailEngine } from '../engine';
import type { Rule } from '../rule-schema';
import { describeLineError, parseItemLine, toItem, type ItemLine } from '../cli/item-line';
import { fmt, gateFailures, quantile, score, type Gate, type Outcome, type Score } from './score';

/** A dataset's text and the name its problems are reported under (its path). */
export interface DatasetFile {
  readonly name: string;
  readonly text: string;
}

export interface EvalOptions extends Gate {
  /** Only items of this split (`dev`, `test`). */
  readonly split?: string;
  /** Score only these rules (all run; the others' firings are not counted). */
  readonly only?: readonly string[];
}

export interface EvalReport extends Score {
  dataset: { items: number; positives: number; files: string[]; split: string | null };
  /** Per rule: time per check in microseconds, over every item the rule ran on. */
  timing: Record<string, { runs: number; p50_us: number | null; p99_us: number | null }>;
  /** Time of the whole rule set per item, microseconds. */
  per_item: { p50_us: number | null; p99_us: number | null };
  gate: { min_precision: number | null; min_recall: number | null; failures: string[] };
}

/** A dataset that cannot be scored: its line and why (the line itself is never echoed). */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';
}

/**
 * Reads labelled items, runs the rules on each with the gateway's engine, and scores them.
 * Every item must carry `expected`, and every rule id it names must be one of the rules: a
 * typo in a label would otherwise read as a miss.
 * @throws DatasetError naming the file and line of the first problem
 */
export function evaluateDataset(
  rules: readonly Rule[],
  files: readonly DatasetFile[],
  options: EvalOptions = {},
): EvalReport {
  const known = new Set(rules.map((r) => r.id));
  const only = options.only ? new Set(options.only) : undefined;
  for (const id of only ?? [])
    if (!known.has(id)) throw new DatasetError(`--rule ${id}: no such rule in the rules file`);
  const items = readItems(files, known, options.split);
  const engine = new GuardrailEngine(rules);
  const ruleTimes = new Map<string, number[]>();
  const itemTimes: number[] = [];
  const outcomes: Outcome[] = items.map((line) => {
    const t0 = performance.now();
    const result = engine.evaluate(toItem(line), (rule, ms) => {
      let list = ruleTimes.get(rule.id);
      if (!list) ruleTimes.set(rule.id, (list = []));
      list.push(ms * 1000);
    });
    itemTimes.push((performance.now() - t0) * 1000);
    const counted = (id: string) => only === undefined || only.has(id);
    return {
      id: line.id,
      stage: line.stage,
      ...(line.family !== undefined ? { family: line.family } : {}),
      expected: line.expected!.filter(counted),
      fired: result.decisions
        .filter((d) => d.outcome === 'violated' && counted(d.rule_id))
        .map((d) => d.rule_id),
      errors: result.decisions.filter((d) => d.outcome !== 'violated').map((d) => d.rule_id),
    };
  });
  const scored = score(
    outcomes,
    rules.filter((r) => only === undefined || only.has(r.id)),
  );
  const timing: EvalReport['timing'] = {};
  for (const r of rules) {
    const list = ruleTimes.get(r.id) ?? [];
    timing[r.id] = {
      runs: list.length,
      p50_us: round(quantile(list, 0.5)),
      p99_us: round(quantile(list, 0.99)),
    };
  }
  return {
    ...scored,
    dataset: {
      items: items.length,
      positives: outcomes.filter((o) => o.expected.length > 0).length,
      files: files.map((f) => f.name),
      split: options.split ?? null,
    },
    timing,
    per_item: { p50_us: round(quantile(itemTimes, 0.5)), p99_us: round(quantile(itemTimes, 0.99)) },
    gate: {
      min_precision: options.minPrecision ?? null,
      min_recall: options.minRecall ?? null,
      failures: gateFailures(scored, options),
    },
  };
}

function round(v: number | null): number | null {
  return v === null ? null : Math.round(v * 10) / 10;
}

function readItems(files: readonly DatasetFile[], known: Set<string>, split?: string): ItemLine[] {
  const items: ItemLine[] = [];
  const ids = new Set<string>();
  for (const file of files) {
    const lines = file.text.split('\n');
    lines.forEach((raw, i) => {
      if (raw.trim() === '') return;
      const where = `${file.name}:${i + 1}`;
      let line: ItemLine;
      try {
        line = parseItemLine(raw);
      } catch (err) {
        throw new DatasetError(`${where}: ${describeLineError(err)}`);
      }
      if (line.expected === undefined)
        throw new DatasetError(
          `${where}: expected: is required (the rule ids the item should trigger, [] for none)`,
        );
      const unknown = line.expected.filter((id) => !known.has(id));
      if (unknown.length > 0)
        throw new DatasetError(
          `${where}: expected: names ${unknown.join(', ')}, not a rule of the rules file`,
        );
      const key = String(line.id);
      if (ids.has(key)) throw new DatasetError(`${where}: id ${key} appears twice`);
      ids.add(key);
      if (split === undefined || line.split === split) items.push(line);
    });
  }
  if (items.length === 0)
    throw new DatasetError(
      split === undefined
        ? 'the dataset has no items'
        : `the dataset has no items of split '${split}'`,
    );
  return items;
}

/** The report for people: figures per rule and overall, families, timing, misses, the gate. */
export function formatReport(r: EvalReport, maxMisses = 25): string {
  const out: string[] = [];
  const split = r.dataset.split === null ? '' : `, split ${r.dataset.split}`;
  out.push(`${r.dataset.items} items (${r.dataset.positives} should trigger a rule${split})`);
  out.push('');
  out.push(
    row(['rule', 'tp', 'fp', 'fn', 'tn', 'precision', 'recall', 'f1', 'fpr', 'p50 µs', 'p99 µs']),
  );
  for (const [id, f] of Object.entries(r.rules)) {
    const t = r.timing[id];
    out.push(
      row([
        id,
        f.tp,
        f.fp,
        f.fn,
        f.tn,
        fmt(f.precision),
        fmt(f.recall),
        fmt(f.f1),
        fmt(f.false_positive_rate),
        fmt(t?.p50_us ?? null, 1),
        fmt(t?.p99_us ?? null, 1),
      ]),
    );
  }
  const o = r.overall;
  out.push(
    row([
      '(overall)',
      o.tp,
      o.fp,
      o.fn,
      o.tn,
      fmt(o.precision),
      fmt(o.recall),
      fmt(o.f1),
      fmt(o.false_positive_rate),
      fmt(r.per_item.p50_us, 1),
      fmt(r.per_item.p99_us, 1),
    ]),
  );
  const i = r.items;
  out.push(
    row([
      '(items)',
      i.tp,
      i.fp,
      i.fn,
      i.tn,
      fmt(i.precision),
      fmt(i.recall),
      fmt(i.f1),
      fmt(i.false_positive_rate),
      '',
      '',
    ]),
  );
  if (r.families.length > 1 || r.families[0]?.family !== '(none)') {
    out.push('');
    out.push(row(['family', 'items', 'detected', 'false alarms']));
    for (const f of r.families)
      out.push(
        row([
          f.family,
          f.items,
          f.positives > 0 ? `${f.detected}/${f.positives}` : '',
          f.items - f.positives > 0 ? `${f.false_alarms}/${f.items - f.positives}` : '',
        ]),
      );
  }
  if (r.errors > 0)
    out.push('', `${r.errors} items had a rule fail instead of deciding (see --json)`);
  if (r.misses.length > 0) {
    out.push(
      '',
      `misclassified: ${r.misses.length}${r.misses.length > maxMisses ? ` (first ${maxMisses}; --json has all)` : ''}`,
    );
    for (const m of r.misses.slice(0, maxMisses))
      out.push(
        `  ${m.id}${m.family ? ` [${m.family}]` : ''}: ${m.missing.length ? `missed ${m.missing.join(', ')}` : ''}${m.missing.length && m.extra.length ? '; ' : ''}${m.extra.length ? `fired ${m.extra.join(', ')}` : ''}`,
      );
  }
  if (r.gate.failures.length > 0)
    out.push('', 'gate missed:', ...r.gate.failures.map((f) => `  ${f}`));
  else if (r.gate.min_precision !== null || r.gate.min_recall !== null) out.push('', 'gate passed');
  return `${out.join('\n')}\n`;
}

function row(cells: Array<string | number>): string {
  return cells.map((c, i) => (i === 0 ? String(c).padEnd(24) : String(c).padStart(10))).join('');
}
