import type { FastifyReply } from 'fastify';
import { ApiError } from '../http/api-error';
import { UpstreamAttemptError } from './upstream-client';

/** OpenAI's error `type` for a status, so the SDKs classify the error as they do OpenAI's. */
function errorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

export interface SentError {
  status: number;
  code: string;
  message: string;
}

/**
 * Answers `err` in OpenAI's error shape `{"error": {"message", "type", "param", "code"}}`:
 * the SDKs surface `message` and `code` and pick the error class by status. An upstream's own
 * 4xx answer passes through as the upstream sent it.
 */
export function sendOpenAIError(reply: FastifyReply, err: unknown): SentError {
  if (err instanceof UpstreamAttemptError && err.response && err.response.status < 500) {
    const { status, headers, body } = err.response;
    void reply
      .code(status)
      .header('content-type', headers['content-type'] ?? 'application/json')
      .send(body);
    return { status, code: err.kind, message: err.message };
  }
  let status = 500;
  let code = 'internal_error';
  let message =
    'the gateway failed on this call; it is logged with the x-llmops-event-id of this answer';
  let headers: Record<string, string> = {};
  let param: string | null = null;
  if (err instanceof ApiError) {
    status = err.getStatus();
    code = err.code;
    message = (err.getResponse() as { error: { message: string } }).error.message;
    headers = err.headers;
    param = err.details?.[0]?.path ?? null;
  } else if (err instanceof UpstreamAttemptError) {
    status = err.kind === 'timeout' ? 504 : 502;
    code = err.kind === 'timeout' ? 'upstream_timeout' : 'upstream_unavailable';
    message = `${err.message}; no upstream of this model could answer`;
  }
  void reply
    .code(status)
    .headers(headers)
    .send({ error: { message, type: errorType(status), param, code } });
  return { status, code, message };
}
