import type { FastifyReply } from 'fastify';
import { ApiError } from '../http/api-error';
import { UpstreamAttemptError } from './upstream-client';

export interface SentError {
  status: number;
  code: string;
  message: string;
}

interface ErrorParts extends SentError {
  headers: Record<string, string>;
  param: string | null;
}

/** What an error means for the client: status, stable code, a message that says what to do. */
function errorParts(err: unknown): ErrorParts {
  if (err instanceof ApiError)
    return {
      status: err.getStatus(),
      code: err.code,
      message: (err.getResponse() as { error: { message: string } }).error.message,
      headers: err.headers,
      param: err.details?.[0]?.path ?? null,
    };
  if (err instanceof UpstreamAttemptError) {
    const timeout = err.kind === 'timeout';
    return {
      status: timeout ? 504 : 502,
      code: timeout ? 'upstream_timeout' : 'upstream_unavailable',
      message: `${err.message}; no upstream of this model could answer`,
      headers: {},
      param: null,
    };
  }
  return {
    status: 500,
    code: 'internal_error',
    message:
      'the gateway failed on this call; it is logged with the x-llmops-event-id of this answer',
    headers: {},
    param: null,
  };
}

const RELAYED_HEADER = /^(retry-after|retry-after-ms|x-ratelimit-.+|anthropic-ratelimit-.+)$/;

/** An upstream's own 4xx answer passes through as the upstream sent it: it is in the API's shape. */
function passThrough(reply: FastifyReply, err: unknown): SentError | undefined {
  if (!(err instanceof UpstreamAttemptError) || !err.response || err.response.status >= 500)
    return undefined;
  const { status, headers, body } = err.response;
  // What tells the client when to try again goes with it (an upstream's 429 above all).
  for (const [name, value] of Object.entries(headers))
    if (RELAYED_HEADER.test(name)) void reply.header(name, value);
  void reply
    .code(status)
    .header('content-type', headers['content-type'] ?? 'application/json')
    .send(body);
  return { status, code: err.kind, message: err.message };
}

/** OpenAI's error `type` for a status, so the SDKs classify the error as they do OpenAI's. */
export function openAIType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/**
 * Answers `err` in OpenAI's error shape `{"error": {"message", "type", "param", "code"}}`: the
 * SDKs surface `message` and `code` and pick the error class by status.
 */
export function sendOpenAIError(reply: FastifyReply, err: unknown): SentError {
  return sendError(reply, err, openAIShape);
}

const openAIShape = (e: ErrorParts) => ({
  error: { message: e.message, type: openAIType(e.status), param: e.param, code: e.code },
});

/** `err` as the event that ends an OpenAI stream with an error (the SDKs raise it as an APIError). */
export function openAIStreamError(err: unknown): string {
  return `data: ${JSON.stringify(openAIShape(errorParts(err)))}`;
}

/** An upstream's own 4xx as it came, or `err` in the body `shape` makes of it. */
function sendError(
  reply: FastifyReply,
  err: unknown,
  shape: (e: ErrorParts) => unknown,
): SentError {
  const passed = passThrough(reply, err);
  if (passed) return passed;
  const e = errorParts(err);
  void reply.code(e.status).headers(e.headers).send(shape(e));
  return e;
}

/** Anthropic's error `type` for a status (its API reference, "Errors"). */
function anthropicType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit_error';
  if (status === 529 || status === 503) return 'overloaded_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}

/**
 * Answers `err` in Anthropic's error shape `{"type": "error", "error": {"type", "message"}}`;
 * the stable llmops code leads the message, since the shape has no field of its own for it.
 */
export function sendAnthropicError(reply: FastifyReply, err: unknown): SentError {
  return sendError(reply, err, anthropicShape);
}

const anthropicShape = (e: ErrorParts) => ({
  type: 'error',
  error: { type: anthropicType(e.status), message: `${e.code}: ${e.message}` },
});

/** `err` as the `error` event that ends an Anthropic Messages stream. */
export function anthropicStreamError(err: unknown): string {
  return `event: error\ndata: ${JSON.stringify(anthropicShape(errorParts(err)))}`;
}
