/** Base class of every error this library throws. None of them is worth retrying. */
export class PiiError extends Error {
  readonly retriable = false;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An option passed to the engine, the redactor or the CLI is invalid. */
export class PiiConfigError extends PiiError {}
