/**
 * Money is kept in integers only. Prices are micro-dollars (1e-6 USD) per
 * million tokens, so the cost of n tokens is exactly n × price picodollars
 * (1e-12 USD): no division, no rounding, no float drift. Budgets are set in
 * micro-dollars.
 */
export const PICO_PER_MICRO = 1_000_000n;

const DECIMAL = /^(\d{1,12})(?:\.(\d{1,6}))?$/;

/** Parses a non-negative decimal USD amount (at most 6 decimals) into micro-dollars, exactly. */
export function usdToMicro(value: string | number): bigint {
  const text = typeof value === 'number' ? numberText(value) : value.trim();
  const m = DECIMAL.exec(text);
  if (!m) {
    throw new RangeError(
      `'${text}' is not a USD amount: use digits with at most 6 decimals, e.g. 2.50`,
    );
  }
  return BigInt(m[1]!) * 1_000_000n + BigInt((m[2] ?? '').padEnd(6, '0'));
}

function numberText(n: number): string {
  if (!Number.isFinite(n) || n < 0) return String(n);
  // Up to 6 decimals without exponent notation; more precision than that is refused.
  const fixed = n.toFixed(6).replace(/\.?0+$/, '');
  return Number(fixed) === n ? fixed : String(n);
}

/** Formats an integer amount of 10^-scale dollars as a decimal string without trailing zeros. */
export function formatUsd(amount: bigint, scale: number): string {
  const neg = amount < 0n;
  const abs = neg ? -amount : amount;
  const unit = 10n ** BigInt(scale);
  const frac = (abs % unit).toString().padStart(scale, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${abs / unit}${frac ? `.${frac}` : ''}`;
}

/** Picodollars as a USD decimal string (exact). */
export const picoToUsd = (pico: bigint): string => formatUsd(pico, 12);
/** Micro-dollars as a USD decimal string (exact). */
export const microToUsd = (micro: bigint): string => formatUsd(micro, 6);
