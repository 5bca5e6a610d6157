import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { GuardrailEngine } from '../engine';
import type { Rule } from '../rule-schema';
import { describeLineError, parseItemLine, toItem, type ItemLine } from './item-line';

/** The strongest action among the decisions: block over redact over warn over log. */
const ACTIONS = ['block', 'redact', 'warn', 'log'] as const;

async function write(output: NodeJS.WritableStream, value: unknown): Promise<void> {
  if (!output.write(`${JSON.stringify(value)}\n`)) await once(output, 'drain');
}

/**
 * Reads JSON lines (`{"id", "stage", "text" | "messages" | "tool_call", "app_id"?, "agent_id"?,
 * …}`) and writes one JSON line per item: `{"id", "flagged", "blocked", "rules", "action",
 * "decisions"}`, with the same rules and the same engine as the gateway. A bad line gives
 * `{"line": n, "error": "..."}` (never echoing the input) and the rest goes on. Resolves to 0,
 * 1 when a line was bad, 2 when the input itself failed.
 */
export async function runCheckCli(
  rules: Rule[],
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
): Promise<number> {
  const engine = new GuardrailEngine(rules);
  let bad = 0;
  let lineNo = 0;
  try {
    for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
      lineNo++;
      if (raw.trim() === '') continue;
      let parsed: ItemLine;
      try {
        parsed = parseItemLine(raw);
      } catch (err) {
        bad++;
        await write(output, { line: lineNo, error: describeLineError(err) });
        continue;
      }
      const { id } = parsed;
      const item = toItem(parsed);
      const result = engine.evaluate(item);
      const acted = result.decisions.filter((d) => d.outcome !== 'error_passed');
      await write(output, {
        id,
        flagged: result.flagged,
        blocked: result.blocked,
        rules: result.decisions.map((d) => d.rule_id),
        action: ACTIONS.find((a) => acted.some((d) => d.action === a)) ?? null,
        decisions: result.decisions,
      });
    }
  } catch (err) {
    await write(output, {
      line: lineNo + 1,
      error: `input failed: ${err instanceof Error ? err.message : String(err)}`,
    });
    return 2;
  }
  return bad > 0 ? 1 : 0;
}
