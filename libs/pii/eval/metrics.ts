/** A labelled span of the evaluation set. */
export interface GoldSpan {
  type: string;
  start: number;
  end: number;
  /** The template put a context word next to the value. */
  cue?: boolean;
}

/** One line of eval/dataset.jsonl. */
export interface EvalRecord {
  id: string;
  text: string;
  spans: GoldSpan[];
  kinds?: string[];
}

/** A predicted span, from this engine or a baseline. */
export interface Predicted {
  type: string;
  start: number;
  end: number;
}

/** Counts and scores for one entity type. */
export interface TypeMetrics {
  type: string;
  gold: number;
  predicted: number;
  tp: number;
  precision: number;
  recall: number;
  f1: number;
  /** Recall over gold spans whose template had a context word / had none. */
  recallWithCue: number | null;
  recallWithoutCue: number | null;
}

const overlap = (a: Predicted, b: Predicted): number =>
  Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));

/**
 * A prediction matches a gold span of the same type when they overlap by at least half of
 * the longer of the two (so `Dr. Jane Doe` for gold `Jane Doe` counts, a street without its
 * city and ZIP does not). Each gold span matches at most one prediction.
 */
export function matches(p: Predicted, g: Predicted): boolean {
  return p.type === g.type && overlap(p, g) * 2 >= Math.max(p.end - p.start, g.end - g.start);
}

const ratio = (a: number, b: number): number => (b === 0 ? 1 : a / b);

/** Per-type precision, recall and F1 of `predict` over `records`, for `types`. */
export function evaluate(
  records: readonly EvalRecord[],
  predict: (text: string) => Predicted[],
  types: readonly string[],
): TypeMetrics[] {
  const acc = new Map(
    types.map((t) => [t, { gold: 0, predicted: 0, tp: 0, cue: [0, 0], bare: [0, 0] }]),
  );
  for (const r of records) {
    const preds = predict(r.text).filter((p) => acc.has(p.type));
    const used = new Set<number>();
    for (const p of preds) (acc.get(p.type) as { predicted: number }).predicted++;
    for (const g of r.spans) {
      const a = acc.get(g.type);
      if (!a) continue;
      a.gold++;
      const i = preds.findIndex((p, k) => !used.has(k) && matches(p, g));
      const bucket = g.cue ? a.cue : a.bare;
      bucket[1] = (bucket[1] ?? 0) + 1;
      if (i === -1) continue;
      used.add(i);
      a.tp++;
      bucket[0] = (bucket[0] ?? 0) + 1;
    }
  }
  return types.map((type) => {
    const a = acc.get(type) ?? { gold: 0, predicted: 0, tp: 0, cue: [0, 0], bare: [0, 0] };
    const precision = ratio(a.tp, a.predicted);
    const recall = ratio(a.tp, a.gold);
    const sub = ([hit, all]: number[]): number | null => (all ? (hit ?? 0) / all : null);
    return {
      type,
      gold: a.gold,
      predicted: a.predicted,
      tp: a.tp,
      precision,
      recall,
      f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
      recallWithCue: sub(a.cue),
      recallWithoutCue: sub(a.bare),
    };
  });
}

/** Share of gold spans (any type) at least half covered by some prediction (any type). */
export function redactionRecall(
  records: readonly EvalRecord[],
  predict: (text: string) => Predicted[],
): number {
  let gold = 0;
  let covered = 0;
  for (const r of records) {
    const preds = predict(r.text);
    for (const g of r.spans) {
      gold++;
      const hit = preds.reduce((n, p) => n + overlap(p, g), 0);
      if (hit * 2 >= g.end - g.start) covered++;
    }
  }
  return ratio(covered, gold);
}

/** Markdown table of metrics, three decimals. */
export function formatTable(rows: readonly TypeMetrics[]): string {
  const f = (x: number | null): string => (x === null ? '–' : x.toFixed(3));
  const lines = [
    '| type | gold | predicted | precision | recall | F1 | recall (cue) | recall (no cue) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.type} | ${r.gold} | ${r.predicted} | ${f(r.precision)} | ${f(r.recall)} | ${f(r.f1)} | ${f(r.recallWithCue)} | ${f(r.recallWithoutCue)} |`,
    );
  }
  return lines.join('\n');
}
