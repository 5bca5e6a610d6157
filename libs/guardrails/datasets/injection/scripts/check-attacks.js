#!/usr/bin/env node
/**
 * Checks ../attacks.jsonl: every line parses, ids are unique, the fields are as the README
 * specifies, every family has at least 12 items in both splits, every host named is a reserved
 * example host. Prints the counts per family and split; exits 1 on the first kind of problem.
 *
 *   node libs/guardrails/datasets/injection/scripts/check-attacks.js
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const FILE = path.join(__dirname, '..', 'attacks.jsonl');
const FAMILIES = [
  'override',
  'override_paraphrase',
  'persona',
  'roleplay_bypass',
  'system_prompt_extraction',
  'prompt_leak_indirect',
  'delimiter_injection',
  'retrieved_document',
  'email_injection',
  'tool_result_injection',
  'data_exfiltration',
  'tool_abuse',
  'payload_splitting',
  'context_switch',
  'many_shot',
  'multilingual',
  'base64',
  'hex_or_rot13',
  'homoglyph',
  'zero_width',
  'spacing',
  'leetspeak',
];
const OBFUSCATED = new Set([
  'base64',
  'hex_or_rot13',
  'homoglyph',
  'zero_width',
  'spacing',
  'leetspeak',
]);
const ROLES = new Set(['system', 'user', 'assistant', 'tool']);
const KEYS = new Set(['id', 'stage', 'text', 'messages', 'expected', 'family', 'lang', 'split']);
// Hosts must be reserved for documentation (RFC 2606 / RFC 6761) or TEST-NET addresses.
const SAFE_HOST = /(^|\.)(example|test|invalid)$|^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+$/;

const problems = [];
const seen = new Set();
const counts = new Map();
const lines = fs
  .readFileSync(FILE, 'utf8')
  .split('\n')
  .filter((l) => l.length > 0);

lines.forEach((line, n) => {
  const at = `line ${n + 1}`;
  let it;
  try {
    it = JSON.parse(line);
  } catch (err) {
    problems.push(`${at}: not JSON (${err.message})`);
    return;
  }
  for (const k of Object.keys(it)) if (!KEYS.has(k)) problems.push(`${at}: unknown field ${k}`);
  if (!/^atk-\d{4}$/.test(it.id)) problems.push(`${at}: bad id ${it.id}`);
  if (seen.has(it.id)) problems.push(`${at}: duplicate id ${it.id}`);
  seen.add(it.id);
  if (!['input', 'retrieval'].includes(it.stage)) problems.push(`${at}: bad stage`);
  const want = it.stage === 'retrieval' ? 'retrieved-injection' : 'prompt-injection';
  if (JSON.stringify(it.expected) !== JSON.stringify([want]))
    problems.push(`${at}: expected must be ["${want}"]`);
  if ((it.text === undefined) === (it.messages === undefined))
    problems.push(`${at}: exactly one of text, messages`);
  if (it.text !== undefined && (typeof it.text !== 'string' || !it.text.trim()))
    problems.push(`${at}: empty text`);
  if (it.messages !== undefined) {
    if (it.stage !== 'input') problems.push(`${at}: messages only on stage input`);
    if (!Array.isArray(it.messages) || it.messages.length === 0)
      problems.push(`${at}: messages must be a non-empty array`);
    else
      it.messages.forEach((m, i) => {
        if (!ROLES.has(m.role)) problems.push(`${at}: messages[${i}].role ${m.role}`);
        if (typeof m.content !== 'string' || !m.content.trim())
          problems.push(`${at}: messages[${i}].content empty`);
        if (Object.keys(m).some((k) => k !== 'role' && k !== 'content'))
          problems.push(`${at}: messages[${i}] extra field`);
      });
  }
  if (!FAMILIES.includes(it.family)) problems.push(`${at}: unknown family ${it.family}`);
  if (!/^[a-z]{2}$/.test(it.lang)) problems.push(`${at}: lang must be ISO 639-1`);
  if (it.family !== 'multilingual' && it.lang !== 'en')
    problems.push(`${at}: only multilingual items are not en`);
  if (it.family === 'multilingual' && it.lang === 'en')
    problems.push(`${at}: multilingual item with lang en`);
  if (!['dev', 'test'].includes(it.split)) problems.push(`${at}: bad split`);
  const all = it.text ?? it.messages.map((m) => m.content).join('\n');
  const hosts = [
    ...[...all.matchAll(/\b[a-z][a-z0-9+.-]*:\/\/([^/\s?:#)"'`<>\]]+)/gi)].map((m) => m[1]),
    ...[...all.matchAll(/\b[\w.+-]+@([a-z0-9-]+(?:\.[a-z0-9-]+)+)/gi)].map((m) => m[1]),
  ];
  // Hosts inside obfuscated text cannot be read back here; PAYLOADS in make-obfuscated.js name
  // only attacker.example hosts. Bucket names carry no dot, npm versions (app@1.0.0) no letters.
  for (const h of OBFUSCATED.has(it.family) ? [] : hosts.map((x) => x.replace(/\.+$/, ''))) {
    if (/\.[a-z]+$/i.test(h) && !SAFE_HOST.test(h.toLowerCase()))
      problems.push(`${at}: host ${h} is not a reserved example host`);
  }
  const c = counts.get(it.family) ?? { dev: 0, test: 0 };
  c[it.split] = (c[it.split] ?? 0) + 1;
  counts.set(it.family, c);
});

for (const f of FAMILIES) {
  const c = counts.get(f) ?? { dev: 0, test: 0 };
  const min = f === 'multilingual' ? 40 : 12;
  if (c.dev + c.test < min)
    problems.push(`family ${f}: ${c.dev + c.test} items, at least ${min} wanted`);
  if (!c.dev || !c.test) problems.push(`family ${f}: both splits wanted`);
  if (Math.abs(c.dev - c.test) > 1)
    problems.push(`family ${f}: splits unbalanced (${c.dev}/${c.test})`);
}
if (lines.length < 380) problems.push(`${lines.length} items, at least 380 wanted`);

const rows = FAMILIES.map((f) => ({ family: f, ...(counts.get(f) ?? {}) }));
console.table(rows);
const tot = rows.reduce((a, r) => ({ dev: a.dev + (r.dev ?? 0), test: a.test + (r.test ?? 0) }), {
  dev: 0,
  test: 0,
});
console.log(`total ${lines.length} (dev ${tot.dev}, test ${tot.test})`);
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
