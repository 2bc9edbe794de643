/**
 * The closed set of error codes that cross the wire. Every failure a caller can see
 * is one of these, so the console can decide what to show without parsing messages.
 */
export const ERROR_CODES = [
  'invalid_input',
  'not_found',
  'conflict',
  'repo_unavailable',
  'wrong_password',
  'corrupt_data',
  'cancelled',
  'unknown_command',
  'bad_message',
  'engine_unavailable',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Field name (dotted path) → message, for errors a form shows next to its field. */
export type FieldErrors = Record<string, string>;

export interface ErrorDetails {
  fields?: FieldErrors;
  [key: string]: unknown;
}

export interface WireError {
  code: ErrorCode;
  message: string;
  details?: ErrorDetails;
}

export class FerryError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails | undefined;

  constructor(code: ErrorCode, message: string, details?: ErrorDetails) {
    super(message);
    this.name = 'FerryError';
    this.code = code;
    this.details = details;
  }

  toWire(): WireError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static fromWire(error: WireError): FerryError {
    return new FerryError(error.code, error.message, error.details);
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** A validation failure tied to form fields; the first field's message is the summary. */
export function fieldError(fields: FieldErrors): FerryError {
  const first = Object.values(fields)[0] ?? 'The input is not valid.';
  return new FerryError('invalid_input', first, { fields });
}
