/**
 * Tool names as `tool_limits` and `tool_sequence` list them: an exact name, `prefix*` (every
 * tool whose name starts so, e.g. `db_*`), or `*` (any tool). Names compare exactly, case
 * and all, as `tool_allowlist` compares them.
 */
export type ToolTest = (tool: string) => boolean;

export function toolTest(patterns: readonly string[]): ToolTest {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const p of patterns) {
    if (p.endsWith('*')) prefixes.push(p.slice(0, -1));
    else exact.add(p);
  }
  if (prefixes.includes('')) return () => true;
  if (prefixes.length === 0) return (tool) => exact.has(tool);
  return (tool) => exact.has(tool) || prefixes.some((p) => tool.startsWith(p));
}
