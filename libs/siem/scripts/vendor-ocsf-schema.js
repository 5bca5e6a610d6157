#!/usr/bin/env node
// Copies the part of the OCSF schema source the OCSF tests validate against
// into test-fixtures/ocsf-schema-<version>/, so the tests need nothing outside
// the repository: the dictionary, categories, all profiles, the classes the
// library writes with their `extends` chains, and the objects listed below
// with theirs. When a test reports "object X is not in ...", add X to OBJECTS
// and run again.
//
//   node libs/siem/scripts/vendor-ocsf-schema.js <ocsf-schema checkout>
//   npx prettier --write libs/siem/test-fixtures
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const CLASSES = [
  'events/findings/data_security_finding.json',
  'events/findings/detection_finding.json',
  'events/iam/authentication.json',
  'events/application/api_activity.json',
];
const OBJECTS = [
  'actor',
  'ai_model',
  'analytic',
  'api',
  'data_security',
  'evidences',
  'feature',
  'finding_info',
  'http_request',
  'metadata',
  'network_endpoint',
  'object',
  'policy',
  'product',
  'related_event',
  'request',
  'resource_details',
  'response',
  'service',
  'session',
  'trace',
  'url',
  'user',
];

const src = process.argv[2];
if (!src || !fs.existsSync(path.join(src, 'version.json'))) {
  console.error('usage: vendor-ocsf-schema.js <directory of an ocsf-schema checkout>');
  process.exit(2);
}
const { version } = JSON.parse(fs.readFileSync(path.join(src, 'version.json'), 'utf8'));
const dest = path.join(__dirname, '..', 'test-fixtures', `ocsf-schema-${version}`);
fs.rmSync(dest, { recursive: true, force: true });

function copy(rel) {
  fs.mkdirSync(path.dirname(path.join(dest, rel)), { recursive: true });
  fs.copyFileSync(path.join(src, rel), path.join(dest, rel));
}

for (const f of ['version.json', 'categories.json', 'dictionary.json', 'LICENSE', 'NOTICE'])
  copy(f);
for (const f of fs.readdirSync(path.join(src, 'profiles'))) copy(path.join('profiles', f));

const eventFiles = new Map();
(function index(dir) {
  for (const d of fs.readdirSync(path.join(src, dir), { withFileTypes: true })) {
    const rel = path.join(dir, d.name);
    if (d.isDirectory()) index(rel);
    else if (d.name.endsWith('.json'))
      eventFiles.set(JSON.parse(fs.readFileSync(path.join(src, rel), 'utf8')).name, rel);
  }
})('events');

function copyChain(rel, resolve) {
  for (let cur = rel; cur;) {
    copy(cur);
    const parent = JSON.parse(fs.readFileSync(path.join(src, cur), 'utf8')).extends;
    cur = parent ? resolve(parent) : undefined;
  }
}
for (const c of CLASSES) copyChain(c, (name) => eventFiles.get(name));
for (const o of OBJECTS)
  copyChain(path.join('objects', `${o}.json`), (name) => path.join('objects', `${name}.json`));

fs.writeFileSync(
  path.join(dest, 'README.md'),
  `Trimmed copy of the OCSF schema ${version} source (github.com/ocsf/ocsf-schema), Apache-2.0:\n` +
    'see LICENSE and NOTICE. Written by `libs/siem/scripts/vendor-ocsf-schema.js`; only for the OCSF tests.\n',
);
console.log(`wrote ${path.relative(process.cwd(), dest)}`);
