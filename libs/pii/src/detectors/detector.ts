import type { CountryCode } from 'libphonenumber-js/max';
import type { Finding, PiiType } from '../types';
import { findCues, type Cue } from './cues';

/** Settings every detector can read; built once by the engine. */
export interface DetectorOptions {
  /** Regions tried, in order, for phone numbers written without a country code. */
  phoneRegions: readonly CountryCode[];
}

/** Per-scan state shared by detectors: the options and views of the text computed once. */
export interface ScanContext extends DetectorOptions {
  /** Cue words (see cues.ts) in the text, in order. */
  cues(): readonly Cue[];
}

/** Builds the ScanContext for one scan of `text`. */
export function scanContext(text: string, opts: DetectorOptions): ScanContext {
  let cues: Cue[] | undefined;
  return {
    phoneRegions: opts.phoneRegions,
    cues() {
      cues ??= findCues(text);
      return cues;
    },
  };
}

/**
 * One family of rules. `detect` appends candidates (scored, possibly overlapping, possibly
 * below the engine's threshold) to `out`; the engine filters and resolves them.
 */
export interface Detector {
  readonly name: string;
  readonly types: readonly PiiType[];
  /** Every regex the detector runs over input text, for the ReDoS audit. */
  readonly patterns: readonly RegExp[];
  detect(text: string, out: Finding[], ctx: ScanContext): void;
}

/**
 * The shared instance of a module-level global or sticky regex, rewound. Detectors run
 * synchronously and never re-enter, so one instance per pattern is safe and spares a
 * RegExp construction per scan.
 */
export function rewind<T extends RegExp>(re: T, at = 0): T {
  re.lastIndex = at;
  return re;
}
