/** A field of an event that does not match its contract. */
export interface FieldError {
  /** Path of the field, e.g. `input_messages[2].content`; empty for the record itself. */
  path: string;
  message: string;
}

/** Input that does not match the contract: never retriable, the caller must fix it. */
export class ContractValidationError extends Error {
  readonly retriable = false;
  constructor(
    readonly record: string,
    readonly errors: FieldError[],
  ) {
    super(
      `${record} is invalid: ` +
        errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; '),
    );
    this.name = 'ContractValidationError';
  }
}

/** Bytes that cannot be read as a framed event: never retriable, goes to the DLQ. */
export class DecodeError extends Error {
  readonly retriable = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DecodeError';
  }
}
