#!/usr/bin/env node
/**
 * Scores the `injection` check on the labelled dataset (datasets/injection/*.jsonl): precision,
 * recall, F1 and false-positive rate, overall and per family, on one split.
 *
 *   npx tsc -p libs/guardrails/tsconfig.build.json          # builds dist/, which this reads
 *   node libs/guardrails/scripts/injection-dev-score.js [--split dev|test] [--threshold 0.5]
 *        [--kinds override,persona] [--fold A|B] [--show-errors] [--json]
 *
 * `--fold A` keeps the dev items whose numeric id suffix is even, `--fold B` the odd ones: a
 * 2-fold cross-validation inside dev (design on one fold, check the other by its counts only).
 *
 * Tune on `dev` only: `test` is the held-out measure (the script refuses --show-errors on it,
 * so that its items are not read while tuning).
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : args[i + 1];
};
const split = opt('split', 'dev');
const threshold = opt('threshold', undefined);
const kinds = opt('kinds', undefined);
const fold = opt('fold', undefined);
const showErrors = args.includes('--show-errors');
const asJson = args.includes('--json');
if (!['dev', 'test'].includes(split)) throw new Error(`--split must be dev or test, not ${split}`);
if (fold !== undefined && !['A', 'B'].includes(fold))
  throw new Error(`--fold must be A or B, not ${fold}`);
if (fold !== undefined && split !== 'dev') throw new Error('--fold is for the dev split only');
if (showErrors && split === 'test') throw new Error('--show-errors is for the dev split only');

const root = path.join(__dirname, '..');
const { GuardrailEngine } = require(path.join(root, 'dist', 'index.js'));
const dataDir = path.join(root, 'datasets', 'injection');

function read(file) {
  return fs
    .readFileSync(path.join(dataDir, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l))
    .filter((item) => item.split === split)
    .filter((item) => fold === undefined || inFold(item.id) === fold);
}

/** `A` for an even numeric id suffix, `B` for an odd one. */
function inFold(id) {
  const m = /(\d+)$/.exec(id);
  if (m === null) throw new Error(`item id ${id} has no numeric suffix`);
  return Number(m[1]) % 2 === 0 ? 'A' : 'B';
}

const check = { type: 'injection' };
if (threshold !== undefined) check.threshold = Number(threshold);
if (kinds !== undefined) check.kinds = kinds.split(',');
const stages = ['input', 'output', 'retrieval', 'tool_call'];
const engine = new GuardrailEngine(
  stages.map((stage) => ({
    id: `injection-${stage}`,
    stage,
    scope: {},
    check,
    action: 'block',
    severity: 'high',
    timeout_ms: 1000,
    on_error: 'fail_closed',
    revision: 1,
  })),
);

function evaluate(item) {
  const result = engine.evaluate({
    stage: item.stage,
    ...(item.text !== undefined ? { text: item.text } : {}),
    ...(item.messages !== undefined ? { messages: item.messages } : {}),
    ...(item.tool_call !== undefined ? { tool_call: item.tool_call } : {}),
    context: { tenant: 'eval' },
  });
  const d = result.decisions[0];
  return { flagged: d !== undefined && d.outcome === 'violated', detail: d ? d.detail : null };
}

const rows = [
  ...read('attacks.jsonl').map((item) => ({ item, positive: (item.expected ?? []).length > 0 })),
  ...read('benign.jsonl').map((item) => ({ item, positive: (item.expected ?? []).length > 0 })),
];

const families = new Map();
const total = { tp: 0, fp: 0, tn: 0, fn: 0 };
const errors = [];
for (const { item, positive } of rows) {
  const { flagged, detail } = evaluate(item);
  const key = `${positive ? 'attack' : 'benign'}/${item.family}`;
  const f = families.get(key) ?? { tp: 0, fp: 0, tn: 0, fn: 0 };
  const cell = positive ? (flagged ? 'tp' : 'fn') : flagged ? 'fp' : 'tn';
  f[cell]++;
  total[cell]++;
  families.set(key, f);
  if (cell === 'fp' || cell === 'fn') errors.push({ cell, item, detail });
}

const ratio = (a, b) => (b === 0 ? NaN : a / b);
function metrics(c) {
  const precision = ratio(c.tp, c.tp + c.fp);
  const recall = ratio(c.tp, c.tp + c.fn);
  const f1 = ratio(2 * precision * recall, precision + recall);
  const fpr = ratio(c.fp, c.fp + c.tn);
  return { ...c, precision, recall, f1, fpr };
}
const fmt = (x) => (Number.isNaN(x) ? '  -  ' : x.toFixed(3));

const overall = metrics(total);
if (asJson) {
  const byFamily = Object.fromEntries([...families].map(([k, c]) => [k, metrics(c)]));
  console.log(JSON.stringify({ split, fold, check, overall, byFamily }, null, 2));
} else {
  console.log(
    `split ${split}${fold ? ` fold ${fold}` : ''}, check ${JSON.stringify(check)}, ${rows.length} items`,
  );
  console.log(
    `overall  precision ${fmt(overall.precision)}  recall ${fmt(overall.recall)}  F1 ${fmt(overall.f1)}  FPR ${fmt(overall.fpr)}  (tp ${total.tp} fp ${total.fp} tn ${total.tn} fn ${total.fn})`,
  );
  for (const [key, c] of [...families].sort()) {
    const m = metrics(c);
    const n = c.tp + c.fp + c.tn + c.fn;
    const rate = key.startsWith('attack/') ? `recall ${fmt(m.recall)}` : `FPR ${fmt(m.fpr)}`;
    console.log(`  ${key.padEnd(36)} n=${String(n).padStart(3)}  ${rate}`);
  }
  if (showErrors)
    for (const { cell, item, detail } of errors) {
      const text = item.text ?? item.messages.map((m) => `${m.role}: ${m.content}`).join(' | ');
      console.log(
        `\n${cell.toUpperCase()} ${item.id} [${item.family}/${item.lang}/${item.stage}] ${detail ?? ''}`,
      );
      console.log(`  ${text.replace(/\s+/g, ' ').slice(0, 600)}`);
    }
}
