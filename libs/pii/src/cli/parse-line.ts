import { PiiError } from '../errors';

/** One input line of the scan CLI is unusable; the message never quotes the input. */
export class LineError extends PiiError {}

/** Parses and checks one `{"id": ..., "text": ...}` line. Throws LineError. */
export function parseLine(raw: string): { id: string | number; text: string } {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    // V8's message quotes the input, which may be the very PII we must not echo.
    const pos = err instanceof Error ? /position (\d+)/.exec(err.message)?.[1] : undefined;
    throw new LineError(`invalid JSON${pos === undefined ? '' : ` at position ${pos}`}`, {
      cause: err,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LineError('expected a JSON object with "id" and "text"');
  }
  const { id, text } = value as { id?: unknown; text?: unknown };
  if (typeof id !== 'string' && typeof id !== 'number')
    throw new LineError('"id" must be a string or a number');
  if (typeof text !== 'string') throw new LineError('"text" must be a string');
  return { id, text };
}
