// The npm injection detectors the built-in check is compared with, each behind one function:
// text → flagged. Run as their READMEs show, at their defaults.
import vard from '@andersmyrmel/vard';
import { checkInjection, checkJailbreak } from 'llm_guardrail';

// vard refuses inputs over 10,000 characters by default; the dataset's longest item is shorter,
// but a length refusal would count as a detection, so the limit is lifted.
const moderate = vard.moderate().maxLength(1_000_000);

export const peers = [
  {
    name: '@andersmyrmel/vard 1.2.0 (moderate, the default preset)',
    flagged: async (text) => !moderate.safeParse(text).safe,
  },
  {
    // Its injection and jailbreak models; `checkMalicious` is about harmful requests, which the
    // dataset does not label, so it is left out (it would count every harmful request as an
    // injection).
    name: 'llm_guardrail 2.1.2 (injection or jailbreak model)',
    flagged: async (text) => {
      const [a, b] = await Promise.all([checkInjection(text), checkJailbreak(text)]);
      return a.detected || b.detected;
    },
  },
];
