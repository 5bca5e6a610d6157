/**
 * The signals of the injection check: what each looks for, how much it weighs, and where it
 * counts. A signal is either a pattern over the normalised view (patterns.ts) or a regular
 * expression over the original text (role tokens, URLs, shell commands: where punctuation is
 * the point). Weights are probabilities-ish in [0, 1]: a score combines the signals of a window
 * of text as a noisy OR, `1 - Π(1 - w)`, each signal counted once.
 */

/** What kind of attack a signal points at; a rule's `kinds` keeps some of them. */
export const INJECTION_KINDS = [
  'override',
  'persona',
  'extraction',
  'indirect',
  'obfuscation',
] as const;
export type InjectionKind = (typeof INJECTION_KINDS)[number];

/** A signal over the view. */
export interface ViewSignal {
  /** `kind.name` in decisions' `detail`. */
  readonly id: string;
  readonly kind: InjectionKind;
  /** The weight when it matches. */
  readonly w: number;
  /** The pattern (patterns.ts). */
  readonly re: string;
  /** Added to `w` for each named group of the pattern that took part in the match. */
  readonly g?: Readonly<Record<string, number>>;
  /** Added to `w` when the original text right after the match matches (`new instructions:`). */
  readonly after?: { readonly re: RegExp; readonly w: number };
  /** No word-boundary anchors (scripts that glue particles to words). */
  readonly loose?: boolean;
  /**
   * The weight's factor in a user's own message (stage `input`, not a pasted document): asking
   * one's assistant to send an e-mail is normal, a web page asking it is not.
   * @default 1
   */
  readonly user?: number;
  /** An imperative that a negation just before turns around (`never reveal …`). */
  readonly neg?: boolean;
  /**
   * Gate words: the signal is tried only on texts holding one of them (`instruct*` is a
   * prefix). Default: read from the pattern (pattern-ast.ts), which is what the lexicon uses.
   */
  readonly on?: readonly string[];
  /** Runs only when the text has characters of this script (non-Latin languages). */
  readonly script?: Script;
}

/** A signal over the original text. */
export interface RawSignal {
  readonly id: string;
  readonly kind: InjectionKind;
  readonly w: number;
  /** Global; compiled once. */
  readonly re: RegExp;
  /** The weight's factor in a user's own message (as `ViewSignal.user`). @default 1 */
  readonly user?: number;
  /** Runs only when one of these words is in the view (as `ViewSignal.on`). */
  readonly on?: readonly string[];
  /** Runs only when the original holds one of these strings (a cheap `includes` first). */
  readonly has?: readonly string[];
}

/** Signals that mean more together: `id` fires when every one of `all` fired in the window. */
export interface ComboSignal {
  readonly id: string;
  readonly kind: InjectionKind;
  readonly w: number;
  /** Signal ids, or `kind:` prefixes (`persona:` any persona signal). */
  readonly all: readonly string[];
}

export type Script = 'cyrillic' | 'arabic' | 'devanagari' | 'hangul' | 'cjk';

/** The scripts of the non-Latin languages covered, by the characters of the original text. */
export const SCRIPT_TESTS: Readonly<Record<Script, RegExp>> = {
  cyrillic: /[\u0400-\u04ff]/,
  arabic: /[\u0600-\u06ff]/,
  devanagari: /[\u0900-\u097f]/,
  hangul: /[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]/,
  cjk: /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]/,
};
export const ANY_SCRIPT =
  /[\u0400-\u04ff\u0600-\u06ff\u0900-\u097f\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]/;

/** Shorthands shared by the lexicons. */
export const NOT =
  '(do not|don t|dont|never|must not|mustn t|shall not|should not|shouldn t|will not|won t|cannot|can t|are not to|may not)';
