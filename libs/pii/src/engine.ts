import { isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';
import { resolveOverlaps } from './core/overlap';
import { DETECTORS, scanContext, type Detector, type DetectorOptions } from './detectors';
import { PiiConfigError } from './errors';
import { isPiiType, PII_TYPES, type Finding, type PiiType } from './types';

/** Options of {@link PiiEngine}. */
export interface PiiEngineOptions {
  /**
   * Findings scoring below this are dropped before overlaps are resolved.
   * @default 0.5
   */
  minScore?: number;
  /**
   * Types to report; the others are neither reported nor allowed to hide a reported one.
   * @default every type in PII_TYPES
   */
  enabled?: PiiType[];
  /**
   * Regions tried, in order, for phone numbers written in national format.
   * @default ['US', 'GB', 'FR', 'DE', 'IN']
   */
  phoneRegions?: CountryCode[];
}

const DEFAULT_REGIONS: CountryCode[] = ['US', 'GB', 'FR', 'DE', 'IN'];

/**
 * Finds PII and secrets in text. Stateless after construction and safe to share; `scan` is
 * synchronous, linear in the input and never throws on any string.
 */
export class PiiEngine {
  private readonly minScore: number;
  private readonly enabled: ReadonlySet<PiiType>;
  private readonly detectors: readonly Detector[];
  private readonly detectorOptions: DetectorOptions;

  constructor(opts: PiiEngineOptions = {}) {
    const minScore = opts.minScore ?? 0.5;
    if (!Number.isFinite(minScore) || minScore < 0 || minScore > 1) {
      throw new PiiConfigError(
        `minScore must be a number between 0 and 1, got ${String(opts.minScore)}`,
      );
    }
    const enabled = opts.enabled ?? [...PII_TYPES];
    for (const t of enabled) {
      if (!isPiiType(t)) {
        throw new PiiConfigError(
          `enabled contains unknown type ${JSON.stringify(t)}; known types: ${PII_TYPES.join(', ')}`,
        );
      }
    }
    const regions = opts.phoneRegions ?? DEFAULT_REGIONS;
    for (const r of regions) {
      if (!isSupportedCountry(r))
        throw new PiiConfigError(
          `phoneRegions contains unsupported region ${JSON.stringify(r)}; expected an ISO 3166-1 alpha-2 code such as "US"`,
        );
    }
    this.minScore = minScore;
    this.enabled = new Set(enabled);
    this.detectors = DETECTORS.filter((d) => d.types.some((t) => this.enabled.has(t)));
    this.detectorOptions = { phoneRegions: regions };
  }

  /** Findings in `text`, sorted by start, without overlaps (see resolveOverlaps for the rule). */
  scan(text: string): Finding[] {
    if (text.length === 0) return [];
    const raw: Finding[] = [];
    const ctx = scanContext(text, this.detectorOptions);
    for (const d of this.detectors) d.detect(text, raw, ctx);
    const kept = raw.filter(
      (f) => f.score >= this.minScore && this.enabled.has(f.type) && f.end > f.start,
    );
    return resolveOverlaps(kept);
  }
}
