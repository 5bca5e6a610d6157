import { performance } from 'node:perf_hooks';
import { typicalPrompts } from './corpus.mjs';
const low = typicalPrompts(2e6).join('\n\n').toLowerCase();
const run = (name, f) => { let r; for (let k = 0; k < 5; k++) { const t0 = performance.now(); r = f(); if (k === 4) console.log(name.padEnd(20), (performance.now() - t0).toFixed(2), r); } };
const count = (re) => { let c = 0; re.lastIndex = 0; while (re.exec(low)) c++; return c; };
const words = ['name', 'dear', 'regards,', 'sincerely,', 'cheers,', 'thanks,', 'best,', 'signed by', 'attn', 'attention:', 'patient', 'contact person', 'birth', 'born', 'dob', 'd.o.b', 'bday', 'geboren', 'nacimiento', 'naissance', 'key', 'secret', 'token', 'pass', 'pwd', 'credential', 'bearer', 'authorization'];
const esc = (w) => w.replace(/[.]/g, '\\.');
run('person alt', () => count(/name|dear|regards,|sincerely,|cheers,|thanks,|best,|signed by|attn|attention:|patient|contact person|from:|to:|cc:/g));
run('all alt', () => count(new RegExp(words.map(esc).join('|'), 'g')));
run('indexOf all', () => { let c = 0; for (const w of words) { let p = -1; while ((p = low.indexOf(w, p + 1)) !== -1) c++; } return c; });
run('kw alt', () => count(/key|secret|token|pass|pwd|credential|bearer|authorization/g));
run('dob alt', () => count(/birth|born|dob|d\.o\.b|bday|geboren|nacimiento|naissance/g));
run('single name', () => count(/name/g));
run('single key', () => count(/key/g));
run('lowercase', () => low.toUpperCase().toLowerCase().length);
let total = 0;
for (const w of words) {
  const re = new RegExp(esc(w), 'g');
  count(re);
  const t0 = performance.now(); const c = count(re); const dt = performance.now() - t0; total += dt;
  console.log('  ', w.padEnd(16), dt.toFixed(2), c);
}
console.log('sum single', total.toFixed(2));
run('sticky trie-ish', () => { let c = 0; const re = /[nrdscbatpk]/g; re.lastIndex = 0; while (re.exec(low)) c++; return c; });
