import { checkSync } from 'recheck';

/**
 * ReDoS analysis of a rule's regular expression, at load time, with `recheck` (automata theory
 * plus fuzzing: it finds the ambiguous alternations `(a|a)*` that star-height checks such as
 * `safe-regex2` miss, and polynomial blow-ups such as `\d+\d+$`). Checks run synchronously on
 * the gateway's event loop, so one catastrophic pattern would stall every call of the process:
 * a pattern is accepted only when recheck proves it linear. Polynomial patterns are refused
 * too, since a prompt can be megabytes long and quadratic on 1 MB is 10^12 steps. A pattern
 * recheck cannot decide within its time limit is refused as well.
 *
 * `checkSync` runs recheck's native binary (the `recheck-linux-x64`-style optional packages)
 * through a worker, or its pure JavaScript build when no binary fits the platform; it takes
 * milliseconds to a second per pattern, so verdicts are cached for the process (rules are
 * reloaded whole on every change, and the engine checks again what `loadRules` checked).
 */

/** How long recheck may take to decide one pattern. */
const ANALYSIS_TIMEOUT_MS = 5_000;
const MAX_CACHED = 4_096;

const verdicts = new Map<string, string | null>();

/** Why `source` with `flags` is unsafe to run on untrusted input, or null when it is linear. */
export function regexSafetyProblem(source: string, flags: string): string | null {
  const key = `${flags}/${source}`;
  const cached = verdicts.get(key);
  if (cached !== undefined) return cached;
  const verdict = analyse(source, flags);
  if (verdicts.size < MAX_CACHED) verdicts.set(key, verdict);
  return verdict;
}

function analyse(source: string, flags: string): string | null {
  const result = checkSync(source, flags, { timeout: ANALYSIS_TIMEOUT_MS });
  switch (result.status) {
    case 'safe':
      return null;
    case 'vulnerable': {
      const spot = result.hotspot[0];
      const where = spot ? ` at characters ${spot.start}-${spot.end}` : '';
      return (
        `can backtrack catastrophically (${result.complexity.summary}${where}): ` +
        'make sure no two repetitions can match the same text, or bound them ({0,n})'
      );
    }
    case 'unknown':
      return result.error.kind === 'timeout'
        ? `could not be shown safe from catastrophic backtracking within ${ANALYSIS_TIMEOUT_MS} ms: simplify it`
        : `could not be analysed for catastrophic backtracking (${result.error.kind}): simplify it`;
  }
}
