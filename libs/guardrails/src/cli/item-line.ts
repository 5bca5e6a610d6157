import { z } from 'zod';
import type { GuardrailItem } from '../item';

/**
 * One JSON line of `llmops guardrails check` and of an `eval` dataset: what one stage of a call
 * shows the rules, with who made the call. Strict, so a misspelt field (`tool_cal`) is an error
 * rather than an item that silently has nothing to check. Dataset bookkeeping (`expected`,
 * `family`, `lang`, `split`, `note`) is accepted everywhere, so one file serves both commands.
 */
export const itemLineSchema = z
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
    /** What checks about more than texts look at (see GuardrailItem). */
    metadata: z.record(z.string(), z.string()).optional(),
    system_prompt: z.string().optional(),
    canary: z.string().min(1).optional(),
    tool_history: z
      .strictObject({ trace: z.array(z.string()), session: z.array(z.string()) })
      .optional(),
    source: z.string().min(1).optional(),
    /** The rule ids the item should trigger (`[]`: none); required by `eval`, ignored by `check`. */
    expected: z.array(z.string().min(1)).optional(),
    /** What kind of item it is (`override`, `security_research`…), for per-family figures. */
    family: z.string().min(1).max(64).optional(),
    lang: z.string().min(2).max(16).optional(),
    /** `dev` (to tune on) or `test` (held out), for `eval --split`. */
    split: z.string().min(1).max(16).optional(),
    note: z.string().max(2000).optional(),
  })
  .refine((i) => i.text !== undefined || i.messages !== undefined || i.tool_call !== undefined, {
    message: 'needs text, messages or tool_call',
  });

export type ItemLine = z.infer<typeof itemLineSchema>;

/** A line's problem, naming fields and never echoing the line (it may hold anything). */
export function describeLineError(err: unknown): string {
  return err instanceof z.ZodError
    ? err.issues.map((i) => `${i.path.join('.') || '(line)'}: ${i.message}`).join('; ')
    : 'is not JSON';
}

/** Parses one line; throws what `describeLineError` explains. */
export function parseItemLine(raw: string): ItemLine {
  return itemLineSchema.parse(JSON.parse(raw));
}

/** The engine's item for a line. */
export function toItem(line: ItemLine): GuardrailItem {
  const { stage, text, messages, tool_call, tenant } = line;
  return {
    stage,
    ...(text !== undefined ? { text } : {}),
    ...(messages !== undefined ? { messages } : {}),
    ...(tool_call !== undefined ? { tool_call } : {}),
    ...(line.metadata !== undefined ? { metadata: line.metadata } : {}),
    ...(line.system_prompt !== undefined ? { system_prompt: line.system_prompt } : {}),
    ...(line.canary !== undefined ? { canary: line.canary } : {}),
    ...(line.tool_history !== undefined ? { tool_history: line.tool_history } : {}),
    ...(line.source !== undefined ? { source: line.source } : {}),
    context: {
      tenant,
      ...(line.app_id ? { app_id: line.app_id } : {}),
      ...(line.agent_id ? { agent_id: line.agent_id } : {}),
      ...(line.model ? { model: line.model } : {}),
      ...(line.endpoint_kind ? { endpoint_kind: line.endpoint_kind } : {}),
    },
  };
}
