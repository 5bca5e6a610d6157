/** An invocation that cannot become a row of the invocations table: never retriable, send it to the DLQ. */
export class InvalidInvocationError extends Error {
  readonly retriable = false;
  constructor(
    readonly eventId: string,
    readonly problems: string[],
  ) {
    super(`invocation ${eventId || '(no event_id)'} cannot be stored: ${problems.join('; ')}`);
    this.name = 'InvalidInvocationError';
  }
}

/**
 * Some invocations of a batch are invalid; nothing of the batch was written.
 * `invalid` lists them, so the caller can dead-letter those and write the rest.
 */
export class InvalidInvocationBatchError extends Error {
  readonly retriable = false;
  constructor(readonly invalid: InvalidInvocationError[]) {
    super(
      `${invalid.length} invocation(s) of the batch cannot be stored, nothing was written: ` +
        invalid
          .slice(0, 5)
          .map((e) => e.message)
          .join(' | ') +
        (invalid.length > 5 ? ` | … and ${invalid.length - 5} more` : ''),
    );
    this.name = 'InvalidInvocationBatchError';
  }

  /** The event ids of the invalid invocations. */
  get eventIds(): string[] {
    return this.invalid.map((e) => e.eventId);
  }
}
