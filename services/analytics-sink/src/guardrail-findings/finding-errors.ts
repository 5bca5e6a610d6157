/** A guardrail finding that cannot become a row of `guardrail_findings`: never retriable, send it to the DLQ. */
export class InvalidGuardrailFindingError extends Error {
  readonly retriable = false;
  constructor(
    readonly findingId: string,
    readonly problems: string[],
  ) {
    super(
      `guardrail finding ${findingId || '(no finding_id)'} cannot be stored: ${problems.join('; ')}`,
    );
    this.name = 'InvalidGuardrailFindingError';
  }
}
