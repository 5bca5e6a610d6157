import type { Check } from '../rule-schema';
import {
  problem,
  type CheckInput,
  type CompileContext,
  type CompiledCheck,
  type Span,
  type Violation,
} from './check';
import { compileCode } from './code';
import { compileInjection } from './injection';
import { compileJson } from './json';
import { compileLanguage } from './language';
import { compileLeakage } from './leakage';
import { compileLength } from './length';
import { compileMetadata } from './metadata';
import { compileModel } from './model';
import { compilePhrases } from './phrases';
import { compilePii } from './pii';
import { compileRegex } from './regex';
import { compileExpression } from './expression';
import { compileRetrievalSource } from './retrieval-source';
import { compileToolAllowlist } from './tool-allowlist';
import { compileToolLimits } from './tool-limits';
import { compileToolSequence } from './tool-sequence';
import { compileUrls } from './urls';
import { compileWebhook } from './webhook';

/** How deep `all` / `any` / `not` may nest: deeper is a config mistake, not a policy. */
export const MAX_DEPTH = 8;

/** Compiles a check and those it nests; problems go to `ctx.problems`, with their paths. */
export function compileCheck(check: Check, ctx: CompileContext): CompiledCheck | null {
  switch (check.type) {
    case 'regex':
      return compileRegex(check, ctx);
    case 'phrases':
      return compilePhrases(check, ctx);
    case 'length':
      return compileLength(check);
    case 'json':
      return compileJson(check, ctx);
    case 'urls':
      return compileUrls(check, ctx);
    case 'tool_allowlist':
      return compileToolAllowlist(check, ctx);
    case 'pii':
      return compilePii(check);
    case 'language':
      return compileLanguage(check, ctx);
    case 'code':
      return compileCode(check);
    case 'model':
      return compileModel(check, ctx);
    case 'metadata':
      return compileMetadata(check, ctx);
    case 'leakage':
      return compileLeakage(check, ctx);
    case 'tool_limits':
      return compileToolLimits(check, ctx);
    case 'tool_sequence':
      return compileToolSequence(check, ctx);
    case 'retrieval_source':
      return compileRetrievalSource(check, ctx);
    case 'expression':
      return compileExpression(check, ctx);
    case 'webhook':
      return compileWebhook(check, ctx);
    case 'injection':
      return compileInjection(check, ctx);
    case 'all':
    case 'any': {
      const children = nested(check.checks, ctx);
      return children && (check.type === 'all' ? all(children) : any(children));
    }
    case 'not': {
      const [child] = nested([check.check], ctx, 'check') ?? [];
      return child ? not(child, check.check.type) : null;
    }
  }
}

function nested(checks: Check[], ctx: CompileContext, field?: string): CompiledCheck[] | null {
  if (ctx.depth >= MAX_DEPTH) {
    problem(ctx, null, `nests checks deeper than ${MAX_DEPTH} levels`);
    return null;
  }
  const compiled = checks.map((c, i) =>
    compileCheck(c, {
      ...ctx,
      path: `${ctx.path}.${field ?? `checks[${i}]`}`,
      depth: ctx.depth + 1,
    }),
  );
  if (compiled.some((c) => c?.runAsync !== undefined)) {
    // all / any / not decide synchronously; a webhook is a rule of its own.
    problem(ctx, null, 'may not nest a webhook check (give the webhook a rule of its own)');
    return null;
  }
  return compiled.every((c) => c !== null) ? compiled : null;
}

/** Violated when every nested check is; the detail joins theirs. */
function all(children: CompiledCheck[]): CompiledCheck {
  return {
    locates: children.every((c) => c.locates),
    run(input: CheckInput, wantSpans: boolean): Violation | null {
      const found: Violation[] = [];
      for (const child of children) {
        const v = child.run(input, wantSpans);
        if (v === null) return null;
        found.push(v);
      }
      return merge(found, found.map((v) => v.detail).join('; '), wantSpans);
    },
  };
}

/** Violated when one nested check is; stops at the first, unless spans are wanted. */
function any(children: CompiledCheck[]): CompiledCheck {
  return {
    locates: children.every((c) => c.locates),
    run(input: CheckInput, wantSpans: boolean): Violation | null {
      const found: Violation[] = [];
      for (const child of children) {
        const v = child.run(input, wantSpans);
        if (v === null) continue;
        if (!wantSpans) return v;
        found.push(v);
      }
      const first = found[0];
      return first ? merge(found, first.detail, true) : null;
    },
  };
}

/** Violated when the nested check is not; it cannot say where (there is nothing to point at). */
function not(child: CompiledCheck, type: string): CompiledCheck {
  const violation = { detail: `not(${type}): the nested check passed` };
  return {
    locates: false,
    run(input: CheckInput): Violation | null {
      return child.run(input, false) === null ? violation : null;
    },
  };
}

function merge(found: Violation[], detail: string, wantSpans: boolean): Violation {
  if (!wantSpans) return { detail };
  const spans: Span[] = [];
  for (const v of found) if (v.spans) spans.push(...v.spans);
  return { detail, spans };
}
