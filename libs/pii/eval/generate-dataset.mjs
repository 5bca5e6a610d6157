#!/usr/bin/env node
// Writes eval/dataset.jsonl: a labelled evaluation set for the PII engine, deterministic
// (fixed faker seed). Each line: {"id", "text", "spans": [{"type", "start", "end", "cue"}]},
// offsets in UTF-16 code units. Run: node libs/pii/eval/generate-dataset.mjs
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { faker } from '@faker-js/faker';
import { POSITIVE } from './gen/templates.mjs';
import { NEGATIVE, SCRIPTS, filler } from './gen/negatives.mjs';

faker.seed(20240611);

// Segments per type: enough for a stable figure per entity (a few hundred spans each).
const PER_TYPE = 260;
const PER_SECRET_TYPE = 160;
const PER_NEGATIVE_FAMILY = 260;
const FILLER = 2500;
const SECRET = new Set([
  'AWS_ACCESS_KEY',
  'AWS_SECRET_KEY',
  'GITHUB_TOKEN',
  'GITLAB_TOKEN',
  'SLACK_TOKEN',
  'STRIPE_KEY',
  'OPENAI_API_KEY',
  'ANTHROPIC_API_KEY',
  'GOOGLE_API_KEY',
  'JWT',
  'PRIVATE_KEY',
  'URL_CREDENTIALS',
  'SECRET_GENERIC',
]);

const segments = [];
for (const [type, templates] of Object.entries(POSITIVE)) {
  const n = SECRET.has(type) ? PER_SECRET_TYPE : PER_TYPE;
  for (let i = 0; i < n; i++) {
    const tpl = templates[i % templates.length];
    segments.push({ parts: tpl.fn(), cue: tpl.cue, kind: 'positive' });
  }
}
for (const [family, templates] of Object.entries(NEGATIVE)) {
  for (let i = 0; i < PER_NEGATIVE_FAMILY; i++) {
    segments.push({
      parts: templates[i % templates.length](),
      cue: false,
      kind: `negative:${family}`,
    });
  }
}
for (let i = 0; i < FILLER; i++) segments.push({ parts: [filler()], cue: false, kind: 'filler' });

const shuffled = faker.helpers.shuffle(segments);
const records = [];
let id = 0;
for (let i = 0; i < shuffled.length;) {
  const take = faker.number.int({ min: 1, max: 3 });
  const group = shuffled.slice(i, i + take);
  i += take;
  let text = faker.datatype.boolean({ probability: 0.12 })
    ? faker.helpers.arrayElement(SCRIPTS)
    : '';
  const spans = [];
  const kinds = [];
  group.forEach((seg, k) => {
    if (k > 0) text += faker.helpers.arrayElement([' ', '\n', '\n\n', ' ']);
    for (const part of seg.parts) {
      if (typeof part !== 'object') {
        text += String(part);
      } else {
        spans.push({
          type: part.type,
          start: text.length,
          end: text.length + part.value.length,
          cue: seg.cue,
        });
        text += part.value;
      }
    }
    kinds.push(seg.kind);
  });
  if (faker.datatype.boolean({ probability: 0.08 }))
    text += ` ${faker.helpers.arrayElement(SCRIPTS)}`;
  records.push({ id: `r${String(++id).padStart(5, '0')}`, text, spans, kinds });
}

const out = fileURLToPath(new URL('./dataset.jsonl', import.meta.url));
writeFileSync(out, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
const spanCount = records.reduce((n, r) => n + r.spans.length, 0);
console.log(`wrote ${records.length} records, ${spanCount} spans to ${out}`);
