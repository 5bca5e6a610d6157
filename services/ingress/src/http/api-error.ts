import { HttpException } from '@nestjs/common';

export interface ApiErrorDetail {
  path: string;
  message: string;
}

/**
 * Every error the API answers has one shape:
 * `{ "error": { "status", "code", "message", "details"? } }`, where `code`
 * is stable for programs and `message` tells a person what to do.
 */
export class ApiError extends HttpException {
  constructor(
    status: number,
    readonly code: string,
    message: string,
    readonly details?: ApiErrorDetail[],
    readonly headers: Record<string, string> = {},
  ) {
    super({ error: { status, code, message, ...(details ? { details } : {}) } }, status);
  }
}
