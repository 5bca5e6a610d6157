/**
 * A security event that no SIEM format can represent (e.g. a time outside
 * years 0000–9999). Never retriable: the record goes to the DLQ with this reason.
 */
export class SiemFormatError extends Error {
  readonly retriable = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SiemFormatError';
  }
}
