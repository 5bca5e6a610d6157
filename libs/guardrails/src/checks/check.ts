import type { GuardrailStage } from '@llmops/contracts';
import type { GuardrailItem } from '../item';
import { normalise, type NormalisedText } from './normalise';
import type { WebhookOptions } from './webhook';

/**
 * What compiled checks share: their input (the item's texts, cut into named segments) and
 * their verdict. A check is compiled once, when the engine is built (regular expressions,
 * JSON Schema validators, normalised phrase tries), so `run` compiles nothing.
 */

/** One text of the item, named as decisions and redactions name it. */
export interface Segment {
  /** `text`, `messages[2]` or `tool_call.arguments`. */
  readonly name: string;
  readonly text: string;
}

/** What a check sees of one evaluation. */
export interface CheckInput {
  readonly segments: readonly Segment[];
  readonly toolCall: { readonly name: string; readonly arguments: string } | undefined;
  readonly agentId: string | undefined;
  /**
   * The whole item, for checks about more than its texts (`model`, `metadata`, `leakage`);
   * absent when a test builds the input from texts alone.
   */
  readonly item: GuardrailItem | undefined;
  /** The segment normalised for phrase matching, computed once per evaluation and shared. */
  normalised(segment: Segment): NormalisedText;
}

/** A span of a segment's text to redact, in UTF-16 code units (as JavaScript indexes). */
export interface Span {
  readonly segment: string;
  readonly start: number;
  readonly end: number;
}

/** A check's finding: what the rule forbids is there. `detail` never holds the text itself. */
export interface Violation {
  readonly detail: string;
  /** Where, when the rule redacts (only checks with `locates` set give spans). */
  readonly spans?: readonly Span[];
}

export interface CompiledCheck {
  /** Whether the check can say where it fired, which a `redact` rule needs. */
  readonly locates: boolean;
  /** The violation found, or null. `wantSpans`: find every span (a redact rule), not the first. */
  run(input: CheckInput, wantSpans: boolean): Violation | null;
  /**
   * For a check that waits on something (a webhook): the verdict, given up when `signal`
   * aborts (the rule's `timeout_ms`). Such a check's `run` throws: only
   * `GuardrailEngine.evaluateAsync` can run it.
   */
  runAsync?(input: CheckInput, signal: AbortSignal): Promise<Violation | null>;
}

/** Where a check is compiled, and where its problems are reported. */
export interface CompileContext {
  /** The check's path in the rules file (`rules[2].check`, `rules[2].check.checks[0]`). */
  readonly path: string;
  readonly stage: GuardrailStage;
  readonly problems: string[];
  readonly depth: number;
  /** How webhook checks reach their endpoint and find their secret (engine options). */
  readonly webhooks?: WebhookOptions;
}

export function problem(ctx: CompileContext, field: string | null, message: string): void {
  ctx.problems.push(`${field === null ? ctx.path : `${ctx.path}.${field}`}: ${message}`);
}

/** A detail is for an audit record: short, and never the evaluated text. */
export function shorten(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The input of one evaluation; each segment is normalised at most once, when a check asks. */
export function checkInput(
  segments: readonly Segment[],
  toolCall?: { readonly name: string; readonly arguments: string },
  agentId?: string,
  item?: GuardrailItem,
): CheckInput {
  const cache = new Map<Segment, NormalisedText>();
  return {
    segments,
    toolCall,
    agentId,
    item,
    normalised(segment) {
      let n = cache.get(segment);
      if (n === undefined) {
        n = normalise(segment.text);
        cache.set(segment, n);
      }
      return n;
    },
  };
}
