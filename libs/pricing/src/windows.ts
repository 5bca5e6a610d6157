/** Counter windows, all UTC: minute, hour, day and calendar month. */
export type Period = 'minute' | 'hour' | 'day' | 'month';
export const PERIODS: readonly Period[] = ['minute', 'hour', 'day', 'month'];
/** One-letter window codes used in Redis keys. */
export const PERIOD_CODE: Record<Period, string> = { minute: 'm', hour: 'h', day: 'd', month: 'M' };

/**
 * How long a window's counters are kept after the window ended: long enough
 * for the questions each answers (the last hours by minute, the last days by
 * hour, the last month by day, last year by month), short enough that Redis
 * holds a bounded number of keys.
 */
export const RETENTION_S: Record<Period, number> = {
  minute: 2 * 3_600,
  hour: 3 * 86_400,
  day: 40 * 86_400,
  month: 400 * 86_400,
};

export interface Window {
  readonly period: Period;
  /** Compact id used in keys: YYYYMMDDHHmm, YYYYMMDDHH, YYYYMMDD, YYYYMM. */
  readonly bucket: string;
  /** Human id: ISO minute/hour, YYYY-MM-DD, YYYY-MM. */
  readonly label: string;
  readonly startMs: number;
  /** Exclusive. */
  readonly endMs: number;
  /** Unix seconds at which the window's keys expire. */
  readonly expireAt: number;
}

// The window of each period last asked for: the accountant asks for every event and
// the pre-flight check for every budget, nearly always the current window.
const lastWindow: Partial<Record<Period, Window>> = {};

/** The UTC window of `period` containing `atMs` (a shared, frozen object). */
export function windowOf(period: Period, atMs: number): Window {
  const last = lastWindow[period];
  if (last && atMs >= last.startMs && atMs < last.endMs) return last;
  const w = Object.freeze(computeWindow(period, atMs));
  lastWindow[period] = w;
  return w;
}

function computeWindow(period: Period, atMs: number): Window {
  const d = new Date(atMs);
  const y = d.getUTCFullYear();
  const mo = d.getUTCMonth();
  let startMs: number;
  let endMs: number;
  switch (period) {
    case 'minute':
      startMs = Math.floor(atMs / 60_000) * 60_000;
      endMs = startMs + 60_000;
      break;
    case 'hour':
      startMs = Math.floor(atMs / 3_600_000) * 3_600_000;
      endMs = startMs + 3_600_000;
      break;
    case 'day':
      startMs = Math.floor(atMs / 86_400_000) * 86_400_000;
      endMs = startMs + 86_400_000;
      break;
    case 'month':
      startMs = Date.UTC(y, mo, 1);
      endMs = Date.UTC(y, mo + 1, 1);
      break;
  }
  const iso = new Date(startMs).toISOString(); // YYYY-MM-DDTHH:mm:...
  const digits = iso.replace(/\D/g, '');
  const len = { minute: 12, hour: 10, day: 8, month: 6 }[period];
  const label = {
    minute: iso.slice(0, 16) + 'Z',
    hour: iso.slice(0, 13) + 'Z',
    day: iso.slice(0, 10),
    month: iso.slice(0, 7),
  }[period];
  return {
    period,
    bucket: digits.slice(0, len),
    label,
    startMs,
    endMs,
    expireAt: Math.ceil(endMs / 1000) + RETENTION_S[period],
  };
}

/** Earliest and latest start times the accountant accepts (2000-01-01 to 2100-01-01 UTC). */
export const MIN_TIME_MS = Date.UTC(2000, 0, 1);
export const MAX_TIME_MS = Date.UTC(2100, 0, 1);
