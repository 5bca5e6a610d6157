// Guardrails benchmark (issue 11). Three figures, each beside a baseline measured in the same run:
//   1. accuracy of the built-in injection check on the shipped labelled dataset, beside the two
//      npm peers on the same items (precision, recall, F1, false-positive rate, per family);
//   2. time per item of the whole default input rule set on 2 KB prompts (p50 / p99, in
//      process), beside the gateway's own JSON parse of the same request and the peers;
//   3. CPU a streaming output check adds to a streamed answer: the gateway re-checks the answer
//      so far after every token event; beside the relay's own per-event work (parse, append,
//      serialise) without rules.
// Usage: node bench/guardrails/run.js [--split test|dev|all] [--json FILE]
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { peers } from './peers.mjs';

const require = createRequire(import.meta.url);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const g = require(join(ROOT, 'libs/guardrails/dist/index.js'));
const DATA = join(ROOT, 'libs/guardrails/datasets/injection');
const DEFAULT_RULES = join(ROOT, 'libs/guardrails/rules/default.yaml');

const { values } = parseArgs({
  options: { split: { type: 'string', default: 'test' }, json: { type: 'string' } },
});
const split = values.split === 'all' ? undefined : values.split;
const log = (line) => process.stderr.write(`[bench guardrails] ${line}\n`);
const f3 = (v) => (v === null || v === undefined ? '–' : v.toFixed(3));
const f1 = (v) => (v === null || v === undefined ? '–' : v.toFixed(1));

const files = ['attacks.jsonl', 'benign.jsonl'].map((f) => ({
  name: `datasets/injection/${f}`,
  text: readFileSync(join(DATA, f), 'utf8'),
}));
const items = files
  .flatMap((f) => f.text.split('\n').filter((l) => l.trim() !== ''))
  .map((l) => g.parseItemLine(l))
  .filter((i) => split === undefined || i.split === split);
const textOf = (i) => i.text ?? (i.messages ?? []).map((m) => m.content ?? '').join('\n');

// 1. Accuracy ----------------------------------------------------------------------------
const rules = g.loadRules(readFileSync(join(DATA, 'rules.yaml'), 'utf8'), 'rules.yaml');
const ours = g.evaluateDataset(rules, files, split ? { split } : {});
const detectors = [{ name: 'llmops injection check (built in)', report: ours }];
for (const peer of peers) {
  log(`scoring ${peer.name} on ${items.length} items`);
  const outcomes = [];
  const times = [];
  for (const i of items) {
    const t0 = performance.now();
    const flagged = await peer.flagged(textOf(i));
    times.push((performance.now() - t0) * 1000);
    outcomes.push({
      id: i.id,
      stage: 'input',
      family: i.family,
      expected: i.expected.length > 0 ? ['injection'] : [],
      fired: flagged ? ['injection'] : [],
    });
  }
  const s = g.score(outcomes, [{ id: 'injection', stage: 'input' }]);
  detectors.push({
    name: peer.name,
    report: { ...s, per_item: { p50_us: g.quantile(times, 0.5), p99_us: g.quantile(times, 0.99) } },
  });
}

// 2. Time per 2 KB prompt, default input rules ---------------------------------------------
const benign = items.filter((i) => i.expected.length === 0).map(textOf);
const prompts = [];
for (let k = 0, acc = ''; k < benign.length * 4 && prompts.length < 200; k++) {
  acc += `${benign[k % benign.length]}\n\n`;
  if (acc.length >= 2048) {
    prompts.push(acc.slice(0, 2048));
    acc = '';
  }
}
const defaults = g.loadRules(readFileSync(DEFAULT_RULES, 'utf8'), 'default.yaml');
const engine = new g.GuardrailEngine(defaults);
const inputRules = defaults.filter((r) => r.stage === 'input').map((r) => r.id);
const bodies = prompts.map((p) =>
  JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: p }] }),
);
const timeEach = (fn, reps = 25) => {
  const t = [];
  for (let r = 0; r < reps; r++)
    for (let k = 0; k < prompts.length; k++) {
      const t0 = performance.now();
      fn(k);
      t.push((performance.now() - t0) * 1000);
    }
  return { p50_us: g.quantile(t, 0.5), p99_us: g.quantile(t, 0.99), n: t.length };
};
const context = { tenant: 'bench', app_id: 'bench', model: 'gpt-4o-mini' };
timeEach((k) => engine.evaluate({ stage: 'input', text: prompts[k], context }), 5); // warm-up
const rulesTime = timeEach((k) =>
  engine.evaluate({ stage: 'input', messages: [{ role: 'user', content: prompts[k] }], context }),
);
const parseTime = timeEach((k) => JSON.parse(bodies[k]));
const peerTimes = [];
for (const peer of peers) {
  const t = [];
  for (let r = 0; r < 3; r++)
    for (const p of prompts) {
      const t0 = performance.now();
      await peer.flagged(p);
      t.push((performance.now() - t0) * 1000);
    }
  peerTimes.push({ name: peer.name, p50_us: g.quantile(t, 0.5), p99_us: g.quantile(t, 0.99) });
}

// 3. CPU a streaming output check adds -------------------------------------------------------
const answers = [];
for (let k = 0, acc = ''; k < benign.length * 4 && answers.length < 40; k++) {
  acc += `${benign[k % benign.length]}\n\n`;
  if (acc.length >= 3000) {
    answers.push(acc.slice(0, 3000));
    acc = '';
  }
}
// ~4 characters per token event, as OpenAI streams English.
const events = answers.map((a) => {
  const out = [];
  for (let i = 0; i < a.length; i += 4)
    out.push(
      JSON.stringify({
        id: 'chatcmpl-bench',
        object: 'chat.completion.chunk',
        model: 'gpt-4o-mini',
        choices: [{ index: 0, delta: { content: a.slice(i, i + 4) }, finish_reason: null }],
      }),
    );
  return out;
});
const outputRules = defaults.filter((r) => r.stage === 'output').map((r) => r.id);
const streamCpu = (withRules) => {
  const t0 = process.cpuUsage();
  let sink = 0;
  for (const stream of events) {
    let text = '';
    for (const ev of stream) {
      const parsed = JSON.parse(ev);
      text += parsed.choices[0].delta.content;
      if (withRules) engine.evaluate({ stage: 'output', text, context });
      sink += JSON.stringify(parsed).length;
    }
  }
  const u = process.cpuUsage(t0);
  return { ms_per_answer: (u.user + u.system) / 1000 / events.length, sink };
};
streamCpu(true);
const relayOnly = streamCpu(false);
const relayWithRules = streamCpu(true);

// Report ---------------------------------------------------------------------------------
const out = [];
out.push(
  `### Injection check on the shipped dataset (${split ?? 'all'} split: ${items.length} items, ${items.filter((i) => i.expected.length > 0).length} attacks)`,
);
out.push('');
out.push(
  '| detector | precision | recall | F1 | false-positive rate on benign | p50 µs/item | p99 µs/item |',
);
out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const d of detectors) {
  const s = d.report.items;
  out.push(
    `| ${d.name} | ${f3(s.precision)} | ${f3(s.recall)} | ${f3(s.f1)} | ${f3(s.false_positive_rate)} | ${f1(d.report.per_item.p50_us)} | ${f1(d.report.per_item.p99_us)} |`,
  );
}
out.push('');
out.push(`| family | items | ${detectors.map((d) => d.name.split(' ')[0]).join(' | ')} |`);
out.push(`| --- | ---: | ${detectors.map(() => '---:').join(' | ')} |`);
for (const fam of ours.families) {
  const cells = detectors.map((d) => {
    const f = d.report.families.find((x) => x.family === fam.family);
    if (!f) return '–';
    return f.positives > 0
      ? `${f.detected}/${f.positives} detected`
      : `${f.false_alarms}/${f.items} flagged`;
  });
  out.push(`| ${fam.family} | ${fam.items} | ${cells.join(' | ')} |`);
}
out.push('');
out.push(
  `### Default input rules (${inputRules.join(', ')}) on ${prompts.length} prompts of 2 KB, in process`,
);
out.push('');
out.push('| what | p50 µs | p99 µs | p99 ÷ JSON.parse p99 |');
out.push('| --- | ---: | ---: | ---: |');
const rows = [
  { name: 'all default input rules (GuardrailEngine.evaluate)', ...rulesTime },
  { name: 'baseline: JSON.parse of the same request body', ...parseTime },
  ...peerTimes.map((p) => ({ ...p, name: `peer: ${p.name}` })),
];
for (const r of rows)
  out.push(
    `| ${r.name} | ${f1(r.p50_us)} | ${f1(r.p99_us)} | ${f3(r.p99_us / parseTime.p99_us)} |`,
  );
out.push('');
out.push(
  `### Streaming output check (${outputRules.join(', ')}) on ${answers.length} answers of 3,000 characters, ~${events[0].length} token events each`,
);
out.push('');
out.push('| what | CPU ms per answer |');
out.push('| --- | ---: |');
out.push(
  `| baseline: relay work per event (parse, append, serialise) | ${f3(relayOnly.ms_per_answer)} |`,
);
out.push(
  `| the same with the output rules re-checking the answer so far after every event | ${f3(relayWithRules.ms_per_answer)} |`,
);
out.push(
  `| added by the output rules (ratio with ÷ without: ${f3(relayWithRules.ms_per_answer / relayOnly.ms_per_answer)}) | ${f3(relayWithRules.ms_per_answer - relayOnly.ms_per_answer)} |`,
);
process.stdout.write(`${out.join('\n')}\n`);
if (values.json)
  writeFileSync(
    values.json,
    `${JSON.stringify({ date: new Date().toISOString(), split: split ?? 'all', detectors, rulesTime, parseTime, peerTimes, relayOnly, relayWithRules }, null, 2)}\n`,
  );
