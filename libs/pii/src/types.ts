/**
 * Every entity the engine can report. The order is also the tie-break priority when two
 * overlapping findings have the same score and length (earlier wins).
 */
export const PII_TYPES = [
  'PRIVATE_KEY',
  'JWT',
  'AWS_ACCESS_KEY',
  'AWS_SECRET_KEY',
  'GITHUB_TOKEN',
  'GITLAB_TOKEN',
  'SLACK_TOKEN',
  'STRIPE_KEY',
  'ANTHROPIC_API_KEY',
  'OPENAI_API_KEY',
  'GOOGLE_API_KEY',
  'URL_CREDENTIALS',
  'SECRET_GENERIC',
  'CREDIT_CARD',
  'IBAN',
  'US_SSN',
  'UK_NHS',
  'ES_NIF',
  'BR_CPF',
  'IN_AADHAAR',
  'FR_NIR',
  'EMAIL',
  'PHONE',
  'IP_ADDRESS',
  'MAC_ADDRESS',
  'DATE_OF_BIRTH',
  'ADDRESS',
  'PERSON',
] as const;

/** Name of a detected entity type, e.g. `EMAIL` or `AWS_ACCESS_KEY`. */
export type PiiType = (typeof PII_TYPES)[number];

/** Credentials and keys: anything whose leak grants access rather than identifies a person. */
export const SECRET_TYPES: readonly PiiType[] = [
  'PRIVATE_KEY',
  'JWT',
  'AWS_ACCESS_KEY',
  'AWS_SECRET_KEY',
  'GITHUB_TOKEN',
  'GITLAB_TOKEN',
  'SLACK_TOKEN',
  'STRIPE_KEY',
  'ANTHROPIC_API_KEY',
  'OPENAI_API_KEY',
  'GOOGLE_API_KEY',
  'URL_CREDENTIALS',
  'SECRET_GENERIC',
];

/** Entities confirmed by a checksum or a structural validator rather than by shape alone. */
export const CHECKSUM_TYPES: readonly PiiType[] = [
  'CREDIT_CARD',
  'IBAN',
  'US_SSN',
  'UK_NHS',
  'ES_NIF',
  'BR_CPF',
  'IN_AADHAAR',
  'FR_NIR',
];

/**
 * One detected entity. Offsets are UTF-16 code units, as JavaScript strings index them:
 * `text.slice(start, end)` is the value. A finding never carries the value itself.
 */
export interface Finding {
  type: PiiType;
  start: number;
  end: number;
  /** Confidence in [0, 1], after context words were applied. */
  score: number;
  /** Identifier of the rule that fired, e.g. `card.luhn` or `secret.github`. */
  rule: string;
}

const TYPE_SET: ReadonlySet<string> = new Set(PII_TYPES);

/** True when `value` names a known {@link PiiType}. */
export function isPiiType(value: unknown): value is PiiType {
  return typeof value === 'string' && TYPE_SET.has(value);
}
