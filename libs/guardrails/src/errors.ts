/** Base class of every error this library throws. None of them is worth retrying. */
export class GuardrailError extends Error {
  readonly retriable = false;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * A rules file (or a rule list given to the engine) is invalid. `problems` lists every problem
 * found, each as `path: problem` (`rules[2].check.pattern: is not a valid regular expression`),
 * so one load reports them all; none of them repeats the text of a rule's value beyond its path.
 */
export class GuardrailConfigError extends GuardrailError {
  constructor(
    /** Where the rules came from (a file name, `control-plane`, …), as given to `loadRules`. */
    readonly source: string,
    readonly problems: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`invalid guardrail rules in ${source}:\n  - ${problems.join('\n  - ')}`, options);
  }
}

/**
 * An item a rule cannot evaluate (a `tool_call` rule on an item without a tool call). Its
 * message goes into the decision's `detail`, so it never holds the item's text.
 */
export class GuardrailEvaluationError extends GuardrailError {}
