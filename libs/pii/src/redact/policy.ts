import { PiiConfigError } from '../errors';
import { isPiiType, SECRET_TYPES, type PiiType } from '../types';

/**
 * What replaces a finding: `redact` → `[REDACTED]`; `placeholder` → `<EMAIL_1>` (numbered per
 * type, stable within one invocation); `mask` → all but the last 4 letters and digits become
 * `*`; `hash` → `<EMAIL#16 hex>` from the tenant-keyed HMAC; `drop` → the whole field is
 * removed (its text becomes null).
 */
export type Operator = 'redact' | 'placeholder' | 'mask' | 'hash' | 'drop';

export const OPERATORS: readonly Operator[] = ['redact', 'placeholder', 'mask', 'hash', 'drop'];

/** Operator per entity type, with a default for the others. */
export interface RedactionPolicy {
  default: Operator;
  byType?: Partial<Record<PiiType, Operator>>;
}

/** One policy for text sent to external endpoints (LLM providers), one for internal storage. */
export interface DestinationPolicies {
  external: RedactionPolicy;
  internal: RedactionPolicy;
}

const secretsTo = (op: Operator): Partial<Record<PiiType, Operator>> =>
  Object.fromEntries(SECRET_TYPES.map((t) => [t, op]));

/**
 * External: every entity becomes a typed placeholder, so the model can still follow who is who
 * and nothing identifying leaves. Internal: identifiers become tenant-keyed hashes (joinable,
 * not reversible), cards and phones keep their last 4, and secrets are removed outright:
 * nothing derived from a credential is stored.
 */
export const DEFAULT_DESTINATION_POLICIES: DestinationPolicies = {
  external: { default: 'placeholder' },
  internal: {
    default: 'hash',
    byType: { CREDIT_CARD: 'mask', PHONE: 'mask', ...secretsTo('redact') },
  },
};

/** The operator `policy` applies to `type`. */
export function operatorFor(policy: RedactionPolicy, type: PiiType): Operator {
  return policy.byType?.[type] ?? policy.default;
}

/** Throws PiiConfigError naming the first unknown operator or type in `policy`. */
export function assertPolicy(policy: unknown, name = 'policy'): asserts policy is RedactionPolicy {
  if (typeof policy !== 'object' || policy === null)
    throw new PiiConfigError(`${name} must be an object`);
  const p = policy as { default?: unknown; byType?: unknown };
  if (!OPERATORS.includes(p.default as Operator)) {
    throw new PiiConfigError(
      `${name}.default must be one of ${OPERATORS.join(', ')}, got ${JSON.stringify(p.default)}`,
    );
  }
  if (p.byType === undefined) return;
  if (typeof p.byType !== 'object' || p.byType === null)
    throw new PiiConfigError(`${name}.byType must be an object`);
  for (const [type, op] of Object.entries(p.byType)) {
    if (!isPiiType(type))
      throw new PiiConfigError(`${name}.byType has unknown type ${JSON.stringify(type)}`);
    if (!OPERATORS.includes(op as Operator)) {
      throw new PiiConfigError(
        `${name}.byType.${type} must be one of ${OPERATORS.join(', ')}, got ${JSON.stringify(op)}`,
      );
    }
  }
}
