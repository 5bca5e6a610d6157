import { metaFirstWords } from './context';
import { REVERSED_WORDS, ROT13_WORDS } from './decode';
import { RAW, VIEW_SIGNALS } from './lexicon';
import { gateWords, triggersOf, type Triggers } from './pattern-ast';
import { compilePattern } from './patterns';
import { INJECTION_KINDS, type InjectionKind, type Script } from './signals';
import { TriggerTable } from './triggers';

/**
 * The lexicon compiled, once per process (the signals do not depend on a rule's parameters):
 * each pattern as a sticky regular expression tried at its first words (or a global one for
 * scripts without spaces), and one trigger table for every signal's first words and gate,
 * the raw signals' gates, the discussion markers and the decoding hints.
 */

export function kindBit(kind: InjectionKind): number {
  return 1 << INJECTION_KINDS.indexOf(kind);
}
export const ALL_KINDS = INJECTION_KINDS.reduce((m, k) => m | kindBit(k), 0);

export interface CompiledView {
  readonly id: string;
  readonly kind: InjectionKind;
  readonly bit: number;
  readonly w: number;
  /** Sticky, tried where a first word starts; or global (`everywhere`). */
  readonly re: RegExp;
  readonly everywhere: boolean;
  readonly groups: readonly (readonly [string, number])[];
  readonly after: RegExp | null;
  readonly afterW: number;
  readonly user: number;
  readonly neg: boolean;
  readonly script: Script | undefined;
  readonly disguisable: boolean;
}

export interface CompiledRaw {
  readonly id: string;
  readonly kind: InjectionKind;
  readonly bit: number;
  readonly w: number;
  readonly re: RegExp;
  readonly user: number;
  readonly gated: boolean;
  readonly has: readonly string[] | undefined;
}

export class Signals {
  readonly view: CompiledView[];
  readonly raw: CompiledRaw[];
  readonly triggers: TriggerTable;
  readonly byScript = new Map<Script, number[]>();
  /** Signals tried everywhere (no first words): non-Latin scripts and loose patterns. */
  readonly everywhere: number[] = [];
  /** Trigger index of the discussion markers (after the view and raw signals). */
  readonly metaIndex: number;
  /** Trigger indexes of the reversed key words, then of the ROT13 words. */
  readonly reversedIndex: number;
  /** Trigger index of view signal 0's gate; `gated[i]`: signal `i` has one. */
  readonly gateIndex: number;
  readonly gated: boolean[];

  constructor() {
    const firsts: (Triggers | null)[] = VIEW_SIGNALS.map((s) =>
      s.script !== undefined || s.loose ? null : triggersOf(s.re),
    );
    this.view = VIEW_SIGNALS.map((s, i) => ({
      id: s.id,
      kind: s.kind,
      bit: kindBit(s.kind),
      w: s.w,
      re: compilePattern(s.re, s.loose, firsts[i] === null ? 'g' : 'y'),
      everywhere: firsts[i] === null,
      groups: Object.entries(s.g ?? {}),
      after: s.after?.re ?? null,
      afterW: s.after?.w ?? 0,
      user: s.user ?? 1,
      neg: s.neg ?? false,
      script: s.script,
      disguisable: s.script === undefined,
    }));
    this.raw = RAW.map((s) => ({
      id: s.id,
      kind: s.kind,
      bit: kindBit(s.kind),
      w: s.w,
      re: s.re,
      user: s.user ?? 1,
      gated: s.on !== undefined,
      has: s.has,
    }));
    const triggers: Triggers[] = firsts.map((f) => f ?? { words: [], pairs: [] });
    for (const s of RAW) triggers.push({ words: s.on ?? [], pairs: [] });
    this.metaIndex = triggers.length;
    triggers.push({ words: metaFirstWords(), pairs: [] });
    this.reversedIndex = triggers.length;
    triggers.push({ words: REVERSED_WORDS, pairs: [] }, { words: ROT13_WORDS, pairs: [] });
    this.gateIndex = triggers.length;
    const gates = VIEW_SIGNALS.map((s, i) =>
      firsts[i] === null ? null : (s.on ?? gateWords(s.re)),
    );
    this.gated = gates.map((g) => g !== null);
    for (const g of gates) triggers.push({ words: g ?? [], pairs: [] });
    this.triggers = new TriggerTable(triggers);
    VIEW_SIGNALS.forEach((s, i) => {
      if (s.script !== undefined) {
        const list = this.byScript.get(s.script) ?? [];
        list.push(i);
        this.byScript.set(s.script, list);
      } else if (firsts[i] === null) this.everywhere.push(i);
    });
  }
}

let compiled: Signals | undefined;

/** The compiled signals (compiled on first use, then shared by every rule). */
export function signals(): Signals {
  compiled ??= new Signals();
  return compiled;
}
