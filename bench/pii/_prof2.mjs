import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { typicalPrompts } from './corpus.mjs';
const require = createRequire(import.meta.url);
const { DETECTORS } = require('../../libs/pii/eval/dist/src/detectors/index.js');
const text = typicalPrompts(2e6).join('\n\n');
const extra = { alt: /AKIA|ASIA|gh[pousr]_|github_pat_|gl(?:pat|dt|rt)-|xox|xapp-|hooks\.slack|[sr]k_(?:live|test)_|whsec_|sk-|AIza/g, us: /_|-/g, kwi: /key|secret|token|passw|pwd|passphrase|credential|bearer|authorization/gi, kw2: /[kK][eE][yY]|[sS]ecret|[tT]oken/g, cap: /[A-Z]/g, dig: /\d/g };
const pats = [...DETECTORS.flatMap(d => d.patterns.map(p => [d.name + ' ' + p.source.slice(0, 30), p])), ...Object.entries(extra)];
for (const [name, p] of pats) {
  const g = new RegExp(p.source, p.flags.includes('g') ? p.flags : p.flags + 'g');
  let c = 0; for (let m; (m = g.exec(text)); ) { c++; if (!m[0].length) g.lastIndex++; }
  const t0 = performance.now(); g.lastIndex = 0; for (let m; (m = g.exec(text)); ) { if (!m[0].length) g.lastIndex++; }
  console.log(name.padEnd(45), (performance.now() - t0).toFixed(2).padStart(7), c);
}
