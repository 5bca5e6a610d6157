import { randomBytes } from 'node:crypto';

/**
 * Canary tokens for system-prompt leakage (the `leakage` check). The gateway plants a canary in
 * the system prompt of a call and passes it with the answer (`item.canary`); an answer that
 * holds it has repeated the system prompt, whatever else it changed.
 *
 * The format is `llmops-` and 24 hex digits (96 random bits): plain ASCII, because a model
 * copies ASCII verbatim where it tends to "fix" unusual brackets or symbols (`⟦` becomes `[[`)
 * and a tokenizer splits them into byte tokens; hex, because it has no words for the model to
 * translate or reformat. Nothing in ordinary text looks like it, and only the 24 digits need to
 * survive (the check also finds them without the prefix, in any case, spacing or homoglyphs).
 */
export const CANARY_PATTERN = /^llmops-([0-9a-f]{24})$/;

/** A new canary, `llmops-` and 24 random hex digits. */
export function makeCanary(): string {
  return `llmops-${randomBytes(12).toString('hex')}`;
}

/**
 * The system prompt with the canary appended, in an HTML comment on a line of its own: a model
 * asked to repeat its instructions copies it with them, a Markdown view hides it, and it does
 * not read as an instruction. At the end rather than the start, so the prompt's prefix stays
 * the same from call to call and the upstream's prompt cache still applies to it (a canary that
 * changes per call does make everything after it uncacheable, the later turns included: reuse
 * one per conversation when that matters).
 */
export function plantCanary(systemPrompt: string, canary: string): string {
  return `${systemPrompt}\n\n<!-- ${canary} -->`;
}

/** The part of a canary that must appear: the digits of one of ours, else all of it. */
export function canaryCore(canary: string): string {
  return CANARY_PATTERN.exec(canary)?.[1] ?? canary;
}
