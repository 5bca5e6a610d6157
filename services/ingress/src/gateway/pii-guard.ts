import { randomBytes } from 'node:crypto';
import { PiiEngine, Redactor, type PiiType } from '@llmops/pii';
import { ApiError } from '../http/api-error';
import type { TextSlot } from './apis/gateway-api';

/**
 * What the gateway does with PII in a request, per endpoint kind:
 * - `allow`: the request goes as it is (the pipeline still finds and reports it);
 * - `redact`: the upstream receives placeholders (`<EMAIL_1>`) instead of the values;
 * - `restore`: as `redact`, and the values are put back into the answer the client receives;
 * - `block`: 400 `pii_blocked` naming the entity types, and no upstream call.
 */
export type PiiAction = 'allow' | 'redact' | 'restore' | 'block';
export const PII_ACTIONS = ['allow', 'redact', 'restore', 'block'] as const;

export interface PiiPolicy {
  external: PiiAction;
  internal: PiiAction;
}

/** What the guard did to one request. */
export interface PiiOutcome {
  action: PiiAction;
  /** Entity types found, sorted. */
  types: PiiType[];
  /** For `restore`: placeholder → original value, for this call only. */
  restore?: Map<string, string>;
  /** For `block` with PII found: the 400 to answer (no upstream call is made). */
  blocked?: ApiError;
}

function piiBlocked(types: PiiType[], kind: string): ApiError {
  return new ApiError(
    400,
    'pii_blocked',
    `the request holds ${types.join(', ')}, which this gateway does not send to ${kind} endpoints; remove it and retry`,
    types.map((t) => ({ path: 'messages', message: `holds ${t}` })),
  );
}

const PLACEHOLDER = /<[A-Z][A-Z0-9_]*_\d+>/g;

/**
 * Applies a PII policy to the texts of a request, in process (the PII engine is synchronous and
 * linear in its input). Placeholders are numbered per call; the key that makes their identity
 * is this process's own, since nothing outlives the call.
 */
export class PiiGuard {
  private readonly engine = new PiiEngine();
  private readonly key = randomBytes(32);

  /** Rewrites the slots for `redact` and `restore`; for `block`, says what to refuse with. */
  apply(action: PiiAction, slots: TextSlot[], tenant: string, kind: string): PiiOutcome {
    if (action === 'allow') return { action, types: [] };
    const found = slots.map((slot) => ({ slot, findings: this.engine.scan(slot.text) }));
    const types = [...new Set(found.flatMap((f) => f.findings.map((x) => x.type)))].sort();
    if (types.length === 0) return { action, types };
    if (action === 'block') return { action, types, blocked: piiBlocked(types, kind) };
    const redactor = new Redactor({
      hmacKey: this.key,
      tenant,
      policy: { default: 'placeholder' },
    });
    const restore = new Map<string, string>();
    for (const { slot, findings } of found) {
      if (findings.length === 0) continue;
      for (const f of findings) {
        const value = slot.text.slice(f.start, f.end);
        const placeholder = redactor.placeholderFor(f.type, value);
        if (!restore.has(placeholder)) restore.set(placeholder, value);
      }
      slot.set(redactor.apply(slot.text, findings).text ?? '');
    }
    return action === 'restore' ? { action, types, restore } : { action, types };
  }
}

/** Puts the original values back for every placeholder of this call in `text`. */
export function restoreText(text: string, restore: Map<string, string>): string {
  return text.includes('<') ? text.replace(PLACEHOLDER, (p) => restore.get(p) ?? p) : text;
}

/** The length of a tail of `text` that could be the start of a placeholder (`<EMA`). */
function partialTail(text: string): number {
  const lt = text.lastIndexOf('<');
  if (lt < 0) return 0;
  return /^<[A-Z0-9_]*$/.test(text.slice(lt)) ? text.length - lt : 0;
}

/**
 * Restores placeholders in streamed text, which a model emits over several deltas: a tail that
 * could still become a placeholder is held back and put in front of the next delta of the same
 * stream (e.g. one choice), and whatever is held at the end is given back as it was.
 */
export class StreamRestorer {
  private readonly held = new Map<string, string>();

  constructor(private readonly restore: Map<string, string>) {}

  delta(stream: string, text: string): string {
    const all = (this.held.get(stream) ?? '') + text;
    const keep = partialTail(all);
    this.held.set(stream, all.slice(all.length - keep));
    return restoreText(all.slice(0, all.length - keep), this.restore);
  }

  /** What is held for `stream`, released (at the end of that stream). */
  flush(stream: string): string {
    const rest = this.held.get(stream) ?? '';
    this.held.delete(stream);
    return restoreText(rest, this.restore);
  }
}
