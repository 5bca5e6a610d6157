import { PII_TYPES, type Finding } from '../types';

const PRIORITY = new Map<string, number>(PII_TYPES.map((t, i) => [t, i]));

function rank(a: Finding, b: Finding): number {
  return (
    b.score - a.score ||
    b.end - b.start - (a.end - a.start) ||
    (PRIORITY.get(a.type) ?? 0) - (PRIORITY.get(b.type) ?? 0) ||
    a.start - b.start ||
    (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0)
  );
}

/**
 * Keeps a set of non-overlapping findings, sorted by start. Within each cluster of
 * overlapping candidates the winner is the higher score, then the longer span, then the type
 * listed first in PII_TYPES, then the earlier start, then the rule name: the outcome never
 * depends on the order in which detectors ran.
 */
export function resolveOverlaps(candidates: Finding[]): Finding[] {
  if (candidates.length < 2) return candidates.slice();
  const byStart = candidates.slice().sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Finding[] = [];
  let cluster: Finding[] = [];
  let clusterEnd = -1;
  for (const c of byStart) {
    if (c.start >= clusterEnd && cluster.length > 0) {
      pickFromCluster(cluster, out);
      cluster = [];
    }
    cluster.push(c);
    clusterEnd = Math.max(clusterEnd, c.end);
  }
  pickFromCluster(cluster, out);
  return out;
}

function pickFromCluster(cluster: Finding[], out: Finding[]): void {
  if (cluster.length === 1) {
    out.push(cluster[0] as Finding);
    return;
  }
  // Occupancy map over the cluster's range: checking a candidate costs its own length, so a
  // huge cluster (a 1 MB run of digits) stays linear instead of quadratic in the candidates.
  const base = cluster[0]?.start ?? 0;
  let last = base;
  for (const c of cluster) last = Math.max(last, c.end);
  const taken = new Uint8Array(last - base);
  const kept: Finding[] = [];
  for (const c of cluster.slice().sort(rank)) {
    let free = true;
    for (let i = c.start - base; i < c.end - base; i++) {
      if (taken[i] === 1) {
        free = false;
        break;
      }
    }
    if (!free) continue;
    taken.fill(1, c.start - base, c.end - base);
    kept.push(c);
  }
  kept.sort((a, b) => a.start - b.start);
  for (const k of kept) out.push(k);
}
