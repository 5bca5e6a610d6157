import type { Finding, PiiType } from '../types';
import { assertHmacKey, canonicalValue, valueHash, type HmacKey } from './hash';
import { assertPolicy, operatorFor, type RedactionPolicy } from './policy';

/** Options of {@link Redactor}. */
export interface RedactorOptions {
  /** Secret key for the `hash` operator and for placeholder identity. */
  hmacKey: HmacKey;
  /** Tenant the text belongs to; hashes differ across tenants. */
  tenant: string;
  policy: RedactionPolicy;
}

/** Result of {@link Redactor.apply}. */
export interface Redaction {
  /** The rewritten text, or null when a finding's operator is `drop`. */
  text: string | null;
}

export const REDACTED = '[REDACTED]';

/** `**** **** **** 1111`: letters and digits but the last four become `*`, the rest is kept. */
export function mask(value: string): string {
  let keep = 4;
  const chars = value.split('');
  for (let i = chars.length - 1; i >= 0; i--) {
    if (!/[0-9A-Za-z]/.test(chars[i] ?? '')) continue;
    if (keep > 0 && value.length > 4) keep--;
    else chars[i] = '*';
  }
  return chars.join('');
}

/**
 * Applies a redaction policy to findings. One instance serves one invocation: it keeps the
 * placeholder numbering, so the same value gets the same `<EMAIL_1>` in every field and turn
 * of that invocation. Placeholder identity is the keyed hash of the value, so no plaintext is
 * kept in memory beyond the call.
 */
export class Redactor {
  private readonly key: HmacKey;
  private readonly tenant: string;
  private readonly policy: RedactionPolicy;
  private readonly numbers = new Map<string, number>();
  private readonly counters = new Map<PiiType, number>();

  constructor(opts: RedactorOptions) {
    assertHmacKey(opts.hmacKey);
    assertPolicy(opts.policy);
    this.key = opts.hmacKey;
    this.tenant = opts.tenant;
    this.policy = opts.policy;
  }

  /**
   * Rewrites `text` according to the policy. `findings` should come from PiiEngine.scan on
   * the same text; overlapping or out-of-range findings are skipped rather than trusted.
   */
  apply(text: string, findings: readonly Finding[]): Redaction {
    const sorted = findings.slice().sort((a, b) => a.start - b.start || b.end - a.end);
    if (sorted.some((f) => operatorFor(this.policy, f.type) === 'drop')) return { text: null };
    let out = '';
    let pos = 0;
    for (const f of sorted) {
      if (f.start < pos || f.end > text.length || f.end <= f.start) continue;
      out += text.slice(pos, f.start) + this.replacement(f.type, text.slice(f.start, f.end));
      pos = f.end;
    }
    return { text: out + text.slice(pos) };
  }

  /**
   * The placeholder `value` gets in this invocation (`<EMAIL_1>`), as `apply` writes it under
   * the `placeholder` operator: what a caller that must put values back (the gateway's
   * `restore` policy) maps placeholders with.
   */
  placeholderFor(type: PiiType, value: string): string {
    return `<${type}_${this.placeholderNumber(type, value)}>`;
  }

  /** Keyed hash of a value as reported in findings (tenant-scoped, canonical form). */
  hashOf(type: PiiType, value: string): string {
    return valueHash(this.key, this.tenant, canonicalValue(type, value));
  }

  private replacement(type: PiiType, value: string): string {
    switch (operatorFor(this.policy, type)) {
      case 'redact':
        return REDACTED;
      case 'mask':
        return mask(value);
      case 'hash':
        return `<${type}#${this.hashOf(type, value).slice(0, 16)}>`;
      case 'placeholder':
        return this.placeholderFor(type, value);
      case 'drop':
        return REDACTED;
    }
  }

  private placeholderNumber(type: PiiType, value: string): number {
    const id = `${type}:${this.hashOf(type, value)}`;
    let n = this.numbers.get(id);
    if (n === undefined) {
      n = (this.counters.get(type) ?? 0) + 1;
      this.counters.set(type, n);
      this.numbers.set(id, n);
    }
    return n;
  }
}
