import { ApiError } from '../../http/api-error';

/**
 * A field of an OpenAI request that the Anthropic Messages API cannot carry out as asked: the
 * call is refused (400, before any upstream call) rather than sent without it, since a client
 * that set it relies on it.
 */
export function untranslatable(path: string, why: string): ApiError {
  return new ApiError(
    400,
    'untranslatable_parameter',
    `${path}: ${why}, so this call cannot go to the route's Anthropic upstream; leave it out, or call a model whose route has an OpenAI upstream`,
    [{ path, message: why }],
  );
}

/** A malformed field the translation needs to read. */
export function malformed(path: string, what: string): ApiError {
  return new ApiError(400, 'invalid_request', `${path} ${what}`, [{ path, message: what }]);
}
