import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { GuardrailEngine } from '../engine';
import type { GuardrailItem } from '../item';
import type { Rule } from '../rule-schema';

/** One item of `llmops guardrails check`: what one stage of a call would show the rules. */
const itemLine = z
  .strictObject({
    id: z.union([z.string().min(1), z.number()]),
    stage: z.enum(['input', 'output', 'tool_call', 'retrieval']),
    text: z.string().optional(),
    messages: z
      .array(z.strictObject({ role: z.string(), content: z.string().nullable() }))
      .optional(),
    tool_call: z.strictObject({ name: z.string().min(1), arguments: z.string() }).optional(),
    tenant: z.string().min(1).default('default'),
    app_id: z.string().min(1).optional(),
    agent_id: z.string().min(1).optional(),
    model: z.string().min(1).optional(),
    endpoint_kind: z.enum(['external', 'internal']).optional(),
    /** Ignored here: the rule ids an item should trigger, for `eval` datasets. */
    expected: z.array(z.string()).optional(),
  })
  .refine((i) => i.text !== undefined || i.messages !== undefined || i.tool_call !== undefined, {
    message: 'needs text, messages or tool_call',
  });

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
      let parsed: z.infer<typeof itemLine>;
      try {
        parsed = itemLine.parse(JSON.parse(raw));
      } catch (err) {
        bad++;
        const why =
          err instanceof z.ZodError
            ? err.issues.map((i) => `${i.path.join('.') || '(line)'}: ${i.message}`).join('; ')
            : 'is not JSON';
        await write(output, { line: lineNo, error: why });
        continue;
      }
      const { id, stage, text, messages, tool_call, tenant, ...context } = parsed;
      const item: GuardrailItem = {
        stage,
        ...(text !== undefined ? { text } : {}),
        ...(messages !== undefined ? { messages } : {}),
        ...(tool_call !== undefined ? { tool_call } : {}),
        context: {
          tenant,
          ...(context.app_id ? { app_id: context.app_id } : {}),
          ...(context.agent_id ? { agent_id: context.agent_id } : {}),
          ...(context.model ? { model: context.model } : {}),
          ...(context.endpoint_kind ? { endpoint_kind: context.endpoint_kind } : {}),
        },
      };
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
