/**
 * Scoring a rule set against labelled items (`guardrails eval`): each item says which rules it
 * should trigger (`expected`, `[]` for a clean item), the engine says which did (`fired`), and
 * these functions count the agreement. Pure, so the benchmark scores the npm peers with the same
 * code on the same items.
 */

/** One scored item: what it should trigger and what did. */
export interface Outcome {
  readonly id: string | number;
  readonly stage: string;
  readonly family?: string;
  readonly expected: readonly string[];
  readonly fired: readonly string[];
  /** Rules whose check failed (timeout, error) on this item: neither a hit nor a miss. */
  readonly errors?: readonly string[];
}

export interface Confusion {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export interface Figures extends Confusion {
  /** tp / (tp + fp); null when nothing was flagged. */
  precision: number | null;
  /** tp / (tp + fn); null when nothing should have been. */
  recall: number | null;
  f1: number | null;
  /** fp / (fp + tn): how often a clean item is flagged; null without clean items. */
  false_positive_rate: number | null;
}

export interface FamilyFigures {
  family: string;
  items: number;
  /** Items that should trigger something. */
  positives: number;
  /** Of those, the ones on which every expected rule fired. */
  detected: number;
  /** Of the clean ones, those on which some rule fired. */
  false_alarms: number;
}

export interface Miss {
  id: string | number;
  family?: string;
  expected: readonly string[];
  fired: readonly string[];
  /** Expected and not fired (false negatives). */
  missing: string[];
  /** Fired and not expected (false positives). */
  extra: string[];
}

export interface Score {
  /** Per rule, over the items of the rule's stage. */
  rules: Record<string, Figures>;
  /** Summed over the rules (micro average). */
  overall: Figures;
  /** Per item: "should something fire" against "did something fire". */
  items: Figures;
  families: FamilyFigures[];
  misses: Miss[];
  /** Items on which some rule failed instead of deciding. */
  errors: number;
}

export function figures(c: Confusion): Figures {
  const precision = ratio(c.tp, c.tp + c.fp);
  const recall = ratio(c.tp, c.tp + c.fn);
  const f1 =
    precision === null || recall === null || precision + recall === 0
      ? precision === null && recall === null
        ? null
        : 0
      : (2 * precision * recall) / (precision + recall);
  return { ...c, precision, recall, f1, false_positive_rate: ratio(c.fp, c.fp + c.tn) };
}

function ratio(a: number, b: number): number | null {
  return b === 0 ? null : a / b;
}

/**
 * Scores `outcomes` for `rules` (each with its stage: a rule is judged only on items of its
 * stage, so items it can never see do not inflate its true negatives).
 */
export function score(
  outcomes: readonly Outcome[],
  rules: ReadonlyArray<{ id: string; stage: string }>,
): Score {
  const counts = new Map(rules.map((r) => [r.id, { tp: 0, fp: 0, fn: 0, tn: 0 }]));
  const itemCounts = { tp: 0, fp: 0, fn: 0, tn: 0 };
  const families = new Map<string, FamilyFigures>();
  const misses: Miss[] = [];
  let errors = 0;
  for (const o of outcomes) {
    const expected = new Set(o.expected);
    const fired = new Set(o.fired);
    for (const r of rules) {
      if (r.stage !== o.stage) continue;
      const c = counts.get(r.id)!;
      const e = expected.has(r.id);
      const f = fired.has(r.id);
      if (e && f) c.tp++;
      else if (f) c.fp++;
      else if (e) c.fn++;
      else c.tn++;
    }
    const positive = expected.size > 0;
    const flagged = fired.size > 0;
    if (positive && flagged) itemCounts.tp++;
    else if (flagged) itemCounts.fp++;
    else if (positive) itemCounts.fn++;
    else itemCounts.tn++;
    if ((o.errors?.length ?? 0) > 0) errors++;

    const missing = [...expected].filter((id) => !fired.has(id));
    const extra = [...fired].filter((id) => !expected.has(id));
    const name = o.family ?? '(none)';
    let fam = families.get(name);
    if (!fam)
      families.set(
        name,
        (fam = { family: name, items: 0, positives: 0, detected: 0, false_alarms: 0 }),
      );
    fam.items++;
    if (positive) {
      fam.positives++;
      if (missing.length === 0) fam.detected++;
    } else if (flagged) fam.false_alarms++;
    if (missing.length > 0 || extra.length > 0)
      misses.push({
        id: o.id,
        ...(o.family !== undefined ? { family: o.family } : {}),
        expected: o.expected,
        fired: o.fired,
        missing,
        extra,
      });
  }
  const sum = { tp: 0, fp: 0, fn: 0, tn: 0 };
  const perRule: Record<string, Figures> = {};
  for (const [id, c] of counts) {
    perRule[id] = figures(c);
    sum.tp += c.tp;
    sum.fp += c.fp;
    sum.fn += c.fn;
    sum.tn += c.tn;
  }
  return {
    rules: perRule,
    overall: figures(sum),
    items: figures(itemCounts),
    families: [...families.values()].sort((a, b) => a.family.localeCompare(b.family)),
    misses,
    errors,
  };
}

/** The q-quantile (0..1) of `values` by the nearest-rank method; null when empty. */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

export interface Gate {
  minPrecision?: number;
  minRecall?: number;
}

/**
 * What misses the gate, one sentence each: the overall figures, and every rule that had
 * something to find (a rule with no expected positives has no recall to gate on, and is gated
 * on precision only when it flagged something).
 */
export function gateFailures(s: Score, gate: Gate): string[] {
  const out: string[] = [];
  const check = (what: string, f: Figures) => {
    if (gate.minPrecision !== undefined && f.precision !== null && f.precision < gate.minPrecision)
      out.push(`${what}: precision ${fmt(f.precision)} < ${gate.minPrecision}`);
    if (gate.minRecall !== undefined && f.recall !== null && f.recall < gate.minRecall)
      out.push(`${what}: recall ${fmt(f.recall)} < ${gate.minRecall}`);
  };
  check('overall', s.overall);
  for (const [id, f] of Object.entries(s.rules)) check(`rule ${id}`, f);
  return out;
}

export function fmt(v: number | null, digits = 3): string {
  return v === null ? '-' : v.toFixed(digits);
}
