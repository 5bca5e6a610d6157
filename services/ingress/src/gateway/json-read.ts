/** Reading untyped JSON from upstreams: what is not of the expected kind reads as absent. */
export type Json = Record<string, unknown>;

export const obj = (v: unknown): Json | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;

export const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** A token count: a whole number, 0 for anything else. */
export const count = (v: unknown): number =>
  typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : 0;
